import type { Token } from '../../schemas/checked.js'
import { InvalidTokenError, VisitorHasOpenRoomsError } from '../errors.js'
import { removeNavigationHistory, removeRoomsAndHistory, type ErasedCollections } from '../store/erasure.js'
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
 * The right to be forgotten. For a token without a visitor (never registered, or erased), its
 * navigation history goes, and the answer is `[invalid-token]`. Otherwise everything of the visitor goes: its rooms with
 * their messages, subscriptions and inquiries, its navigation history; its
 * document keeps only its id. The visitor document changes after a first
 * removal, so an erase that fails halfway is finished by the next one; a second
 * removal then takes what a concurrent request wrote in between (a room the
 * host opened, a page visit).
 */
export async function eraseVisitor ({ visitors, rooms, collections, allowEraseWithOpenRooms }: ErasureParts, token: Token): Promise<ErasedVisitor> {
  const visitorId = await visitors.findIdByToken(token)
  if (visitorId === null) {
    // Most visitors never register, and visits can follow an erase: the token's history goes in
    // any case, and the answer stays Rocket.Chat's (unknown and erased tokens look the same).
    await removeNavigationHistory(collections, token)
    throw new InvalidTokenError()
  }
  const visitorRooms = await rooms.findAllOf(visitorId, token)
  if (!allowEraseWithOpenRooms && visitorRooms.some(room => room.open === true)) throw new VisitorHasOpenRoomsError()

  await removeRoomsAndHistory(collections, visitorRooms, token)
  const ts = new Date()
  await visitors.anonymize(visitorId, ts)
  await removeRoomsAndHistory(collections, await rooms.findAllOf(visitorId, token), token)
  return { _id: String(visitorId), ts }
}
