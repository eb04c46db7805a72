import type { Document, Filter } from 'mongodb'
import { ROOM_SUMMARY_FIELDS, type RoomSummary } from '../../schemas/agent.js'
import type { CustomFieldKey, PlainText, RoomId, Token } from '../../schemas/checked.js'
import type { VisitorStatus } from '../../schemas/visitor.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId, projectionOf } from './collections.js'
import type { StoredVisitorId } from './visitors.js'

/** The room fields an agent sees in a visitor's room list (Rocket.Chat's projection). */
const ROOM_SUMMARY_PROJECTION = projectionOf(ROOM_SUMMARY_FIELDS)

/** A room of a visitor: its id, and whether it is still open. */
export interface VisitorRoom {
  _id: Document['_id']
  open?: boolean
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
    private readonly inquiries: BoundedCollection
  ) {}

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

  /** Every livechat room of the visitor, open or closed, matched by its id or its token. */
  async findAllOf (visitorId: StoredVisitorId, token: Token): Promise<VisitorRoom[]> {
    return this.rooms.findMany<VisitorRoom>(
      { t: 'l', $or: [{ 'v._id': visitorId }, { 'v.token': token }] },
      { projection: { _id: 1, open: 1 } }
    )
  }

  /** Sets `v.status` where agents see the visitor: its open rooms, and its inquiries still queued for an agent. */
  async setVisitorStatus (token: Token, status: VisitorStatus): Promise<void> {
    const now = new Date()
    await this.rooms.updateMany({ ...ofToken(token), open: true }, { $set: { 'v.status': status, _updatedAt: now } })
    await this.inquiries.updateMany({ 'v.token': token, status: 'queued' }, { $set: { 'v.status': status, _updatedAt: now } })
  }

  /** Sets `livechatData.<key>` on the visitor's open rooms; without overwrite only where it is empty. */
  async setLivechatData (token: Token, key: CustomFieldKey, value: PlainText, overwrite: boolean): Promise<void> {
    const path = `livechatData.${key}`
    await this.rooms.updateMany(
      { ...ofToken(token), open: true, ...(!overwrite && { [path]: { $in: [null, ''] } }) },
      { $set: { [path]: value, _updatedAt: new Date() } }
    )
  }
}
