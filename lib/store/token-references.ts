import type { Document } from 'mongodb'
import type { Token } from '../../schemas/checked.js'
import type { LivechatCollections } from './collections.js'
import type { StoredVisitorId } from './visitors.js'

/** The collections that name a visitor by its token besides the visitor itself. */
export type TokenReferences = Pick<LivechatCollections, 'messages' | 'rooms' | 'inquiries'>

/**
 * Moves what names the visitor by the token `from` to the token `to`: its livechat rooms' `v.token`,
 * their inquiries, its own messages there (Rocket.Chat stores the token on them) and the navigation
 * history in them; with `roomless`, the token's roomless history too.
 */
export async function moveTokenReferences (
  { rooms, inquiries, messages }: TokenReferences, visitorId: StoredVisitorId, from: Token, to: Token, { roomless }: { roomless: boolean }
): Promise<void> {
  const visitorRooms = await rooms.findMany<{ _id: Document['_id'] }>({ t: 'l', 'v._id': visitorId, 'v.token': from }, { projection: { _id: 1 } })
  const roomIds = visitorRooms.map(room => room._id)
  await rooms.updateMany({ _id: { $in: roomIds } }, { $set: { 'v.token': to } })
  await inquiries.updateMany({ rid: { $in: roomIds }, 'v.token': from }, { $set: { 'v.token': to } })
  await messages.updateMany({ rid: { $in: roomIds }, token: from }, { $set: { token: to } })
  const history = roomless ? { 'navigation.token': from } : { 'navigation.token': from, rid: { $in: roomIds } }
  await messages.updateMany(history, { $set: { 'navigation.token': to } })
}
