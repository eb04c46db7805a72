import type { Document } from 'mongodb'
import { NAVIGATION_ENTRY_FIELDS, type NavigationEntry, type PageSort } from '../../schemas/agent.js'
import type { RoomId, Token } from '../../schemas/checked.js'
import type { ExportedPage } from '../../schemas/export.js'
import type { PageInfo, RecordedPage } from '../../schemas/page-visited.js'
import { NAVIGATION_HISTORY_TYPE } from '../../schemas/shared.js'
import type { BoundedCollection } from './bounded-collection.js'
import { projectionOf } from './collections.js'
import { newId } from './ids.js'
import { findPage, orderOf, type Page, type PageOf } from './paging.js'

// Agents see the page, never the visitor's token.
const ENTRY_PROJECTION = { ...projectionOf(NAVIGATION_ENTRY_FIELDS), 'navigation.page': 1 }

/** How entries are written: their author, whether they are hidden in the room, how long roomless ones are kept. */
export interface HistoryEntryOptions {
  author: { _id: string, username: string, name: string }
  hidden: boolean
  retentionMs: number
}

/** A page the visitor saw, in its room if it has one; `unread` as Rocket.Chat marks a room's messages when read receipts are on. */
export interface PageVisit {
  token: Token
  rid?: RoomId
  page: PageInfo
  unread?: boolean
}

/** The visitor's navigation history, kept as messages like Rocket.Chat does. */
export class HistoryStore {
  /** `expiredMessages`: the messages collection as the expiry clean-up's deletes see it (their own deadline). */
  constructor (
    private readonly messages: BoundedCollection,
    private readonly expiredMessages: BoundedCollection,
    private readonly options: HistoryEntryOptions
  ) {}

  /** The entry as Rocket.Chat's saveSystemMessage writes it (Messages.createWithTypeRoomIdMessageUserAndUnread). */
  async insert ({ token, rid, page, unread = false }: PageVisit): Promise<RecordedPage> {
    const now = new Date()
    const entry: Document = {
      _id: newId(),
      t: NAVIGATION_HISTORY_TYPE,
      ...(rid !== undefined && { rid }),
      ts: now,
      msg: `${page.title} - ${page.location.href}`,
      u: { _id: this.options.author._id, username: this.options.author.username, name: this.options.author.name },
      groupable: false,
      ...(unread && { unread: true }),
      navigation: { page: { change: page.change, title: page.title, location: { href: page.location.href } }, token },
      // Milliseconds, as Rocket.Chat stores it: a TTL index on expireAt (Rocket.Chat keeps one) removes
      // Dates only, so an entry Rocket.Chat later gives a room (setRoomIdByToken keeps expireAt) stays.
      ...(rid === undefined && { expireAt: now.getTime() + this.options.retentionMs }),
      ...(this.options.hidden && { _hidden: true }),
      _updatedAt: now
    }
    await this.messages.insertOne(entry)
    return { msg: entry.msg, navigation: entry.navigation }
  }

  /**
   * Deletes the expired entries that are still roomless, whoever wrote them: an entry in a room is
   * the room's, whatever its expireAt says. The plugin's earlier versions stored a Date there.
   */
  async removeExpired (): Promise<number> {
    const now = new Date()
    const { deletedCount } = await this.expiredMessages.deleteMany({
      t: NAVIGATION_HISTORY_TYPE,
      rid: null,
      $or: [{ expireAt: { $lte: now.getTime() } }, { expireAt: { $lte: now } }]
    })
    return deletedCount
  }

  /**
   * Gives the token's roomless entries the room the host opened for it; they
   * then belong to the room and no longer expire. Returns how many moved.
   */
  async attachToRoom (token: Token, rid: RoomId): Promise<number> {
    const { modifiedCount } = await this.messages.updateMany(
      // rid null matches a missing rid too: Rocket.Chat stores roomless entries with rid: null.
      { t: NAVIGATION_HISTORY_TYPE, 'navigation.token': token, rid: null },
      { $set: { rid, _updatedAt: new Date() }, $unset: { expireAt: '' } }
    )
    return modifiedCount
  }

  /** A room's history, newest first (Rocket.Chat's order) unless `sort` says. */
  async pagesOfRoom (rid: RoomId, sort: PageSort, page: Page): Promise<PageOf<NavigationEntry>> {
    return findPage(this.messages, { rid, t: NAVIGATION_HISTORY_TYPE }, { projection: ENTRY_PROJECTION, sort: orderOf(sort, { ts: -1 }) }, page)
  }

  /** Every entry of the token, oldest first, with its room when it has one: what an export answers. */
  async allOfToken (token: Token): Promise<ExportedPage[]> {
    const entries = await this.messages.findMany<{ _id: string, ts?: Date, rid?: string | null, navigation?: { page?: ExportedPage['page'] } }>(
      { 'navigation.token': token },
      { projection: { _id: 1, ts: 1, rid: 1, 'navigation.page': 1 }, sort: { ts: 1, _id: 1 } }
    )
    return entries.map(({ navigation, ...entry }) => ({ ...entry, page: navigation?.page }))
  }
}
