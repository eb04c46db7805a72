import type { Document, Filter } from 'mongodb'
import { HISTORY_ROOM_FIELDS, ROOM_SUMMARY_FIELDS, type ChatSearch, type HistoryRoom, type HistorySort, type RoomSummary } from '../../schemas/agent.js'
import type { CustomFieldKey, PlainText, RoomId, Token, VisitorId } from '../../schemas/checked.js'
import { EXPORTED_ROOM_FIELDS, type ExportedRoom } from '../../schemas/export.js'
import type { VisitorStatus } from '../../schemas/visitor.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId, projectionOf } from './collections.js'
import { findPage, orderOf, type Page, type PageOf } from './paging.js'
import { contains } from './text-patterns.js'
import type { StoredVisitorId } from './visitors.js'

/** The room fields an agent sees in a visitor's room list (Rocket.Chat's projection). */
const ROOM_SUMMARY_PROJECTION = projectionOf(ROOM_SUMMARY_FIELDS)

/** A room of a visitor: its id, and whether it is still open. */
export interface VisitorRoom {
  _id: Document['_id']
  open?: boolean
}

/** The room fields of an agent's chat history, and the visitor's without its token. */
const HISTORY_ROOM_PROJECTION = { ...projectionOf(HISTORY_ROOM_FIELDS), 'v._id': 1, 'v.username': 1, 'v.name': 1, 'v.status': 1 }

/** The most rooms of one visitor a search of their messages looks into: the newest. */
export const MAX_SEARCHED_ROOMS = 1000

/** Which of a visitor's rooms a search keeps: closed ones, served ones, those of a source. */
export type RoomCriteria = Omit<ChatSearch, 'searchText'>

function ofVisitor (visitorId: VisitorId, { closedChatsOnly, servedChatsOnly, source }: RoomCriteria = {}): Filter<Document> {
  return {
    t: 'l',
    'v._id': asId(visitorId),
    ...(closedChatsOnly === 'true' && { closedAt: { $exists: true } }),
    ...(servedChatsOnly === 'true' && { servedBy: { $exists: true } }),
    ...(source !== undefined && { $or: [{ 'source.type': contains(source) }, { 'source.alias': contains(source) }] })
  }
}

function ofToken (token: Token): Filter<Document> {
  return { t: 'l', 'v.token': token }
}

/**
 * Livechat rooms (`t: "l"`), which name their visitor in `v: {_id, username, token}`, and the
 * inquiries that queue them for an agent.
 */
export class RoomStore {
  constructor (
    private readonly rooms: BoundedCollection,
    private readonly inquiries: BoundedCollection,
    private readonly subscriptions: BoundedCollection
  ) {}

  /**
   * Shows the visitor's name in its open rooms, as Rocket.Chat's saveRoomInfo does after a
   * registration: the room's `fname` (Rooms.setFnameById), its inquiry's `name`
   * (LivechatInquiry.setNameByRoomId), its subscriptions' `fname` and `name`
   * (Subscriptions.updateDisplayNameByRoomId), which agents' room lists show.
   */
  async renameOpenRoomsOf (token: Token, name: string): Promise<void> {
    const open = await this.rooms.findMany<{ _id: Document['_id'] }>({ ...ofToken(token), open: true }, { projection: { _id: 1 } })
    if (open.length === 0) return
    const ids = open.map(room => room._id)
    await this.rooms.updateMany({ _id: { $in: ids } }, { $set: { fname: name } })
    await this.inquiries.updateMany({ rid: { $in: ids } }, { $set: { name } })
    await this.subscriptions.updateMany({ rid: { $in: ids } }, { $set: { fname: name, name } })
  }

  /** Counts a message written into the room, as Rocket.Chat's Rooms.incMsgCountById. */
  async countMessage (rid: RoomId): Promise<void> {
    await this.rooms.updateOne({ _id: asId(rid) }, { $inc: { msgs: 1 } })
  }

  /** Whether the room is a livechat room of this token. */
  async isVisitorRoom (rid: RoomId, token: Token): Promise<boolean> {
    return await this.rooms.findOne({ _id: asId(rid), ...ofToken(token) }, { projection: { _id: 1 } }) !== null
  }

  /** Whether a livechat room has this id. */
  async isLivechatRoom (rid: RoomId): Promise<boolean> {
    return await this.rooms.findOne({ _id: asId(rid), t: 'l' }, { projection: { _id: 1 } }) !== null
  }

  async findOpenSummaries (token: Token): Promise<RoomSummary[]> {
    return this.rooms.findMany<RoomSummary>({ ...ofToken(token), open: true }, { projection: ROOM_SUMMARY_PROJECTION })
  }

  /**
   * Every livechat room of each visitor, as findAllOf finds them, in one query: the rooms of
   * `visitors[i]` at `[i]`.
   */
  async findAllOfEach (visitors: ReadonlyArray<{ _id: StoredVisitorId, token: Token }>): Promise<VisitorRoom[][]> {
    const found = await this.rooms.findMany<VisitorRoom & { v: { _id?: unknown, token?: unknown } }>(
      { t: 'l', $or: [{ 'v._id': { $in: visitors.map(visitor => visitor._id) } }, { 'v.token': { $in: visitors.map(visitor => visitor.token) } }] },
      { projection: { _id: 1, open: 1, 'v._id': 1, 'v.token': 1 } }
    )
    return visitors.map(({ _id, token }) => found.filter(room => room.v._id === _id || room.v.token === token))
  }

  /** Every livechat room of the visitor, open or closed, matched by its id or its token. */
  async findAllOf (visitorId: StoredVisitorId, token: Token): Promise<VisitorRoom[]> {
    return this.rooms.findMany<VisitorRoom>(
      { t: 'l', $or: [{ 'v._id': visitorId }, { 'v.token': token }] },
      { projection: { _id: 1, open: 1 } }
    )
  }

  /** A page of the visitor's livechat rooms, open or closed, that meet the criteria (and, when given, are among `ids`). */
  async historyOf (visitorId: VisitorId, criteria: RoomCriteria, sort: HistorySort, page: Page, ids?: Array<Document['_id']>): Promise<PageOf<HistoryRoom>> {
    const filter = { ...ofVisitor(visitorId, criteria), ...(ids !== undefined && { _id: { $in: ids } }) }
    return findPage(this.rooms, filter, { projection: HISTORY_ROOM_PROJECTION, sort: orderOf(sort, { ts: -1 }) }, page)
  }

  /** The ids of the visitor's newest rooms (at most MAX_SEARCHED_ROOMS) that meet the criteria. */
  async newestIdsOf (visitorId: VisitorId, criteria: RoomCriteria): Promise<Array<Document['_id']>> {
    const rooms = await this.rooms.findMany<{ _id: Document['_id'] }>(ofVisitor(visitorId, criteria), {
      projection: { _id: 1 }, sort: { ts: -1, _id: 1 }, limit: MAX_SEARCHED_ROOMS
    })
    return rooms.map(room => room._id)
  }

  /** The livechat rooms of the token (and of the visitor, when there is one): their ids, dates and state, for an export. */
  async exportOf (token: Token, visitorId: StoredVisitorId | undefined): Promise<ExportedRoom[]> {
    const owner = visitorId === undefined ? { 'v.token': token } : { $or: [{ 'v._id': visitorId }, { 'v.token': token }] }
    return this.rooms.findMany<ExportedRoom>({ t: 'l', ...owner }, { projection: projectionOf(EXPORTED_ROOM_FIELDS), sort: { ts: 1, _id: 1 } })
  }

  /** Sets the room's `callStatus`, as Rocket.Chat's Rooms.setCallStatus does. */
  async setCallStatus (rid: RoomId, callStatus: PlainText): Promise<void> {
    await this.rooms.updateOne({ _id: asId(rid) }, { $set: { callStatus } })
  }

  /** Sets `v.status` where agents see the visitor: its open rooms, and its inquiries still queued for an agent. */
  async setVisitorStatus (token: Token, status: VisitorStatus): Promise<void> {
    const now = new Date()
    await this.rooms.updateMany({ ...ofToken(token), open: true }, { $set: { 'v.status': status, _updatedAt: now } })
    await this.inquiries.updateMany({ 'v.token': token, status: 'queued' }, { $set: { 'v.status': status, _updatedAt: now } })
  }

  /** Sets `livechatData.<key>` on the visitor's open rooms; without overwrite only where none is stored. */
  async setLivechatData (token: Token, key: CustomFieldKey, value: PlainText, overwrite: boolean): Promise<void> {
    const path = `livechatData.${key}`
    await this.rooms.updateMany(
      { ...ofToken(token), open: true, ...(!overwrite && { [path]: { $exists: false } }) },
      { $set: { [path]: value, _updatedAt: new Date() } }
    )
  }
}
