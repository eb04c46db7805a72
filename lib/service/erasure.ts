import type { Token } from '../../schemas/checked.js'
import { InvalidTokenError, VisitorHasOpenRoomsError } from '../errors.js'
import { removeRoomsAndHistory, type ErasedCollections } from '../store/erasure.js'
import type { RoomStore } from '../store/rooms.js'
import type { VisitorStore } from '../store/visitors.js'

export interface ErasedVisitor {
  _id: string
  ts: Date
}

/** What an erasure reads and deletes, and whether it may delete open rooms. */
export interface ErasureParts {
  visitors: VisitorStore
  rooms: RoomStore
  collections: ErasedCollections
  allowEraseWithOpenRooms: boolean
}

/**
 * The right to be forgotten. Everything of the visitor goes: its rooms with
 * their messages, subscriptions and inquiries, its navigation history; its
 * document keeps only its id. The visitor document changes after a first
 * removal, so an erase that fails halfway is finished by the next one; a second
 * removal then takes what a concurrent request wrote in between (a room the
 * host opened, a page visit).
 */
export async function eraseVisitor ({ visitors, rooms, collections, allowEraseWithOpenRooms }: ErasureParts, token: Token): Promise<ErasedVisitor> {
  const visitorId = await visitors.findIdByToken(token)
  if (visitorId === null) throw new InvalidTokenError()
  const visitorRooms = await rooms.findAllOf(visitorId, token)
  if (!allowEraseWithOpenRooms && visitorRooms.some(room => room.open === true)) throw new VisitorHasOpenRoomsError()

  await removeRoomsAndHistory(collections, visitorRooms, token)
  const ts = new Date()
  await visitors.anonymize(visitorId, ts)
  await removeRoomsAndHistory(collections, await rooms.findAllOf(visitorId, token), token)
  return { _id: String(visitorId), ts }
}
