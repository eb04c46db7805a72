import type { Collection, Document } from 'mongodb'
import { NAVIGATION_ENTRY_FIELDS, type NavigationEntry } from '../schemas/agent.js'
import type { PageVisitedBody, RecordedPage } from '../schemas/page-visited.js'
import { projectionOf, type LivechatCollections } from './collections.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'
import { queryString } from './query-values.js'
import { findPage, type Page, type PageOf } from './paging.js'
import type { LivechatRooms } from './rooms.js'

export const NAVIGATION_HISTORY_TYPE = 'livechat_navigation_history'

// Agents see the page, never the visitor's token.
const ENTRY_PROJECTION = { ...projectionOf(NAVIGATION_ENTRY_FIELDS), 'navigation.page': 1 }

/** The visitor's navigation history, kept as hidden messages like Rocket.Chat does. */
export class NavigationHistory {
  private readonly messages: Collection<Document>

  /** `expiredMessages`: the messages collection as the expiry clean-up's deletes see it (their own deadline). */
  constructor (
    collections: LivechatCollections,
    private readonly rooms: LivechatRooms,
    private readonly options: ResolvedOptions,
    private readonly expiredMessages: Collection<Document>
  ) {
    this.messages = collections.messages
  }

  /** Stores the visit and returns it, or returns null when its change is not the monitored one. */
  async record ({ token, rid, pageInfo }: PageVisitedBody): Promise<RecordedPage | null> {
    if (pageInfo.change !== this.options.historyMonitorType) return null
    if (rid != null) await this.rooms.assertVisitorRoom(rid, token)

    const page = {
      change: pageInfo.change,
      title: queryString(pageInfo.title, 'pageInfo.title'),
      location: { href: queryString(pageInfo.location.href, 'pageInfo.location.href') }
    }
    const now = new Date()
    const entry: Document = {
      _id: newId(),
      t: NAVIGATION_HISTORY_TYPE,
      ...(rid != null && { rid }),
      ts: now,
      msg: `${page.title} - ${page.location.href}`,
      u: { _id: this.options.systemUser._id, username: this.options.systemUser.username },
      groupable: false,
      navigation: { page, token: queryString(token, 'token') },
      ...(rid == null && { expireAt: new Date(now.getTime() + this.options.historyRetentionMs) }),
      ...(!this.options.navigationAsMessages && { _hidden: true }),
      _updatedAt: now
    }
    await this.messages.insertOne(entry)
    return { msg: entry.msg, navigation: entry.navigation }
  }

  /** Deletes expired roomless entries; what a TTL index does where the server has one. */
  async removeExpired (): Promise<number> {
    const { deletedCount } = await this.expiredMessages.deleteMany({
      t: NAVIGATION_HISTORY_TYPE,
      expireAt: { $lte: new Date() }
    })
    return deletedCount
  }

  /**
   * Gives the token's roomless entries the room the host opened for it; they
   * then belong to the room and no longer expire. Returns how many moved.
   */
  async attachToRoom (token: string, rid: string): Promise<number> {
    const { modifiedCount } = await this.messages.updateMany(
      // rid null matches a missing rid too: Rocket.Chat stores roomless entries with rid: null.
      { t: NAVIGATION_HISTORY_TYPE, 'navigation.token': queryString(token, 'token'), rid: null },
      { $set: { rid: queryString(rid, 'rid'), _updatedAt: new Date() }, $unset: { expireAt: '' } }
    )
    return modifiedCount
  }

  /** A room's history, newest first (Rocket.Chat's order). */
  async pagesOfRoom (rid: string, page: Page): Promise<PageOf<NavigationEntry>> {
    return findPage(this.messages, { rid: queryString(rid, 'rid'), t: NAVIGATION_HISTORY_TYPE }, { projection: ENTRY_PROJECTION, sort: { ts: -1, _id: 1 } }, page)
  }
}
