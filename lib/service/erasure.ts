import type { Token } from '../../schemas/checked.js'
import { InvalidTokenError, VisitorHasOpenRoomsError } from '../errors.js'
import { disableContactsOf, removeNavigationHistory, removeRoomsAndHistory, type ErasedCollections } from '../store/erasure.js'
import type { RoomStore, VisitorRoom } from '../store/rooms.js'
import type { StoredVisitorId, VisitorStore } from '../store/visitors.js'
import type { ErasedVisitor, LivechatEventEmitter } from './events.js'

/** What an erasure reads, deletes and tells, and whether it may delete open rooms. */
export interface ErasureParts {
  visitors: VisitorStore
  rooms: RoomStore
  collections: ErasedCollections
  events: LivechatEventEmitter
  allowEraseWithOpenRooms: boolean
}

function mayErase ({ allowEraseWithOpenRooms }: ErasureParts, visitorRooms: VisitorRoom[]): boolean {
  return allowEraseWithOpenRooms || visitorRooms.every(room => room.open !== true)
}

/**
 * Everything of the visitor goes: its rooms with their messages, subscriptions and inquiries, its
 * navigation history; its document is disabled as Rocket.Chat's disableById does. The visitor document changes after a first
 * removal, so an erase that fails halfway is finished by the next one; a second removal then takes
 * what a concurrent request wrote in between (a room the host opened, a page visit).
 */
async function eraseEverything (parts: ErasureParts, visitorId: StoredVisitorId, token: Token, visitorRooms: VisitorRoom[]): Promise<ErasedVisitor> {
  const { visitors, rooms, collections, events } = parts
  await removeRoomsAndHistory(collections, visitorRooms, token)
  const ts = new Date()
  await disableContactsOf(collections, visitorId)
  await visitors.disable(visitorId, ts)
  await removeRoomsAndHistory(collections, await rooms.findAllOf(visitorId, token), token)
  const erased = { _id: String(visitorId), ts }
  events.emit('visitorErased', erased)
  return erased
}

/** Records the request once, keeping the time of the first one; tells the host when it is new. */
async function requestErasure ({ visitors, events }: ErasureParts, visitorId: StoredVisitorId): Promise<void> {
  const requestedAt = new Date()
  if (await visitors.markErasureRequested(visitorId, requestedAt)) {
    events.emit('visitorErasurePending', { _id: String(visitorId), requestedAt })
  }
}

/**
 * The right to be forgotten. For a token without a visitor (never registered, or erased), its
 * navigation history goes, and the answer is `[invalid-token]`. A visitor with an open room (unless
 * `allowEraseWithOpenRooms`) is refused with `[visitor-has-open-rooms]`, and its erasure is recorded:
 * `completePendingErasures` finishes it once the rooms are closed, whoever closes them.
 */
export async function eraseVisitor (parts: ErasureParts, token: Token): Promise<ErasedVisitor> {
  const visitorId = await parts.visitors.findIdByToken(token)
  if (visitorId === null) {
    // Most visitors never register, and visits can follow an erase: the token's history goes in
    // any case, and the answer stays Rocket.Chat's (unknown and erased tokens look the same).
    await removeNavigationHistory(parts.collections, token)
    throw new InvalidTokenError()
  }
  const visitorRooms = await parts.rooms.findAllOf(visitorId, token)
  if (!mayErase(parts, visitorRooms)) {
    await requestErasure(parts, visitorId)
    throw new VisitorHasOpenRoomsError()
  }
  return eraseEverything(parts, visitorId, token, visitorRooms)
}

/** Erases each visitor whose erasure is pending and whose rooms are now all closed; returns how many went. */
export async function completePendingErasures (parts: ErasureParts): Promise<number> {
  const pending = await parts.visitors.findPendingErasures()
  if (pending.length === 0) return 0
  // The rooms of all of them in one query: the periodic task runs this every interval.
  const roomsOfEach = await parts.rooms.findAllOfEach(pending)
  let completed = 0
  for (const [position, { _id, token }] of pending.entries()) {
    if (!mayErase(parts, roomsOfEach[position])) continue
    await eraseEverything(parts, _id, token, roomsOfEach[position])
    completed++
  }
  return completed
}
