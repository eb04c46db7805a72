import type { Collection, Document } from 'mongodb'
import type { PageVisitedBody, RecordedPage } from '../schemas/page-visited.js'
import type { LivechatCollections } from './collections.js'
import { InvalidRoomError } from './errors.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'

export const NAVIGATION_HISTORY_TYPE = 'livechat_navigation_history'

/** The visitor's navigation history, kept as hidden messages like Rocket.Chat does. */
export class NavigationHistory {
  private readonly messages: Collection<Document>
  private readonly rooms: Collection<Document>

  constructor (collections: LivechatCollections, private readonly options: ResolvedOptions) {
    this.messages = collections.messages
    this.rooms = collections.rooms
  }

  /** Stores the visit and returns it, or returns null when its change is not the monitored one. */
  async record ({ token, rid, pageInfo }: PageVisitedBody): Promise<RecordedPage | null> {
    if (pageInfo.change !== this.options.historyMonitorType) return null
    if (rid != null) await this.assertVisitorRoom(rid, token)

    const page = { change: pageInfo.change, title: pageInfo.title, location: { href: pageInfo.location.href } }
    const now = new Date()
    const entry: Document = {
      _id: newId(),
      t: NAVIGATION_HISTORY_TYPE,
      ...(rid != null && { rid }),
      ts: now,
      msg: `${page.title} - ${page.location.href}`,
      u: { _id: this.options.systemUser._id, username: this.options.systemUser.username },
      groupable: false,
      navigation: { page, token },
      ...(rid == null && { expireAt: new Date(now.getTime() + this.options.historyRetentionMs) }),
      ...(!this.options.navigationAsMessages && { _hidden: true }),
      _updatedAt: now
    }
    await this.messages.insertOne(entry)
    return { msg: entry.msg, navigation: entry.navigation }
  }

  /** Deletes expired roomless entries; what a TTL index does where the server has one. */
  async removeExpired (): Promise<number> {
    const { deletedCount } = await this.messages.deleteMany({
      t: NAVIGATION_HISTORY_TYPE,
      expireAt: { $lte: new Date() }
    })
    return deletedCount
  }

  private async assertVisitorRoom (rid: string, token: string): Promise<void> {
    const room = await this.rooms.findOne({ _id: rid as unknown as Document['_id'], t: 'l', 'v.token': token }, { projection: { _id: 1 } })
    if (room === null) throw new InvalidRoomError()
  }
}
