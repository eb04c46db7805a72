import type { Collection, Document, Filter } from 'mongodb'
import { ROOM_SUMMARY_FIELDS, type RoomSummary } from '../schemas/agent.js'
import { asId, projectionOf, type LivechatCollections } from './collections.js'
import { InvalidRoomError } from './errors.js'
import { queryString } from './query-values.js'

/** The room fields an agent sees in a visitor's room list (Rocket.Chat's projection). */
const ROOM_SUMMARY_PROJECTION = projectionOf(ROOM_SUMMARY_FIELDS)

/** A livechat room's `_id`: ids of any string form are read as they are. */
function byId (rid: string): Filter<Document> {
  return { _id: asId(queryString(rid, 'rid')) }
}

function ofToken (token: string): Filter<Document> {
  return { t: 'l', 'v.token': queryString(token, 'token') }
}

/** Livechat rooms (`t: "l"`), which name their visitor in `v: {_id, username, token}`. */
export class LivechatRooms {
  private readonly rooms: Collection<Document>
  private readonly inquiries: Collection<Document>

  constructor (collections: LivechatCollections) {
    this.rooms = collections.rooms
    this.inquiries = collections.inquiries
  }

  /** Throws `[invalid-room]` unless the room is a livechat room of this token. */
  async assertVisitorRoom (rid: string, token: string): Promise<void> {
    const room = await this.rooms.findOne({ ...byId(rid), ...ofToken(token) }, { projection: { _id: 1 } })
    if (room === null) throw new InvalidRoomError()
  }

  /** Throws `[invalid-room]` unless a livechat room has this id. */
  async assertLivechatRoom (rid: string): Promise<void> {
    const room = await this.rooms.findOne({ ...byId(rid), t: 'l' }, { projection: { _id: 1 } })
    if (room === null) throw new InvalidRoomError()
  }

  async findOpenSummaries (token: string): Promise<RoomSummary[]> {
    return this.rooms.find<RoomSummary>({ ...ofToken(token), open: true }, { projection: ROOM_SUMMARY_PROJECTION }).toArray()
  }

  /** Every livechat room of the visitor, open or closed, matched by its id or its token. */
  async findAllOf (visitorId: Document['_id'], token: string): Promise<Array<{ _id: unknown, open?: boolean }>> {
    return this.rooms.find<{ _id: unknown, open?: boolean }>(
      { t: 'l', $or: [{ 'v._id': visitorId }, { 'v.token': queryString(token, 'token') }] },
      { projection: { _id: 1, open: 1 } }
    ).toArray()
  }

  /** Sets `v.status` where agents see the visitor: its open rooms, and its inquiries still queued for an agent. */
  async setVisitorStatus (token: string, status: string): Promise<void> {
    const now = new Date()
    await this.rooms.updateMany({ ...ofToken(token), open: true }, { $set: { 'v.status': status, _updatedAt: now } })
    await this.inquiries.updateMany({ 'v.token': token, status: 'queued' }, { $set: { 'v.status': status, _updatedAt: now } })
  }

  /** Sets `livechatData.<key>` on the visitor's open rooms; without overwrite only where it is empty. */
  async setLivechatData (token: string, key: string, value: string, overwrite: boolean): Promise<void> {
    const path = `livechatData.${key}`
    await this.rooms.updateMany(
      { ...ofToken(token), open: true, ...(!overwrite && { [path]: { $in: [null, ''] } }) },
      { $set: { [path]: value, _updatedAt: new Date() } }
    )
  }

  async deleteByIds (ids: unknown[]): Promise<void> {
    await this.rooms.deleteMany({ _id: { $in: ids as Array<Document['_id']> } })
  }
}
