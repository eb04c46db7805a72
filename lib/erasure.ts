import type { Collection, Document } from 'mongodb'
import type { LivechatCollections } from './collections.js'
import { InvalidTokenError, VisitorHasOpenRoomsError } from './errors.js'
import type { ResolvedOptions } from './options.js'
import { queryString } from './query-values.js'
import type { LivechatRooms } from './rooms.js'

export interface ErasedVisitor {
  _id: string
  ts: Date
}

/**
 * The right to be forgotten. Everything of the visitor goes: its rooms with
 * their messages, subscriptions and inquiries, its navigation history; its
 * document keeps only its id. The visitor document changes after a first
 * removal, so an erase that fails halfway is finished by the next one; a second
 * removal then takes what a concurrent request wrote in between (a room the
 * host opened, a page visit).
 */
export class VisitorErasure {
  private readonly visitors: Collection<Document>

  constructor (
    private readonly collections: LivechatCollections,
    private readonly rooms: LivechatRooms,
    private readonly options: ResolvedOptions
  ) {
    this.visitors = collections.visitors
  }

  async erase (token: string): Promise<ErasedVisitor> {
    const visitor = await this.visitors.findOne<{ _id: Document['_id'] }>({ token: queryString(token, 'token') }, { projection: { _id: 1 } })
    if (visitor === null) throw new InvalidTokenError()
    const rooms = await this.rooms.findAllOf(visitor._id, token)
    if (!this.options.allowEraseWithOpenRooms && rooms.some(room => room.open === true)) throw new VisitorHasOpenRoomsError()

    await this.removeRoomsAndHistory(rooms.map(room => room._id), token)
    const ts = new Date()
    await this.visitors.replaceOne({ _id: visitor._id }, { disabled: true, _updatedAt: ts })
    const latecomers = await this.rooms.findAllOf(visitor._id, token)
    await this.removeRoomsAndHistory(latecomers.map(room => room._id), token)
    return { _id: String(visitor._id), ts }
  }

  private async removeRoomsAndHistory (roomIds: unknown[], token: string): Promise<void> {
    const inRooms = { rid: { $in: roomIds } }
    await this.collections.messages.deleteMany(inRooms)
    await this.collections.subscriptions.deleteMany(inRooms)
    await this.collections.inquiries.deleteMany({ $or: [inRooms, { 'v.token': token }] })
    await this.rooms.deleteByIds(roomIds)
    await this.collections.messages.deleteMany({ 'navigation.token': token })
  }
}
