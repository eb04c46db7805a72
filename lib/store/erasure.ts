import type { Token } from '../../schemas/checked.js'
import type { LivechatCollections } from './collections.js'
import type { VisitorRoom } from './rooms.js'

/** The collections that hold what a visitor's rooms and token leave behind. */
export type ErasedCollections = Pick<LivechatCollections, 'messages' | 'subscriptions' | 'inquiries' | 'rooms'>

/**
 * Deletes rooms with their messages, subscriptions and inquiries, the inquiries naming the token,
 * and the token's navigation history (with or without a room).
 */
export async function removeRoomsAndHistory (collections: ErasedCollections, rooms: VisitorRoom[], token: Token): Promise<void> {
  const roomIds = rooms.map(room => room._id)
  const inRooms = { rid: { $in: roomIds } }
  await collections.messages.deleteMany(inRooms)
  await collections.subscriptions.deleteMany(inRooms)
  await collections.inquiries.deleteMany({ $or: [inRooms, { 'v.token': token }] })
  await collections.rooms.deleteMany({ _id: { $in: roomIds } })
  await removeNavigationHistory(collections, token)
}

/** Deletes every navigation history entry of the token, with or without a room. */
export async function removeNavigationHistory (collections: ErasedCollections, token: Token): Promise<void> {
  await collections.messages.deleteMany({ 'navigation.token': token })
}
