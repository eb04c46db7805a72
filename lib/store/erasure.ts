import type { Document } from 'mongodb'
import type { Token } from '../../schemas/checked.js'
import type { LivechatCollections } from './collections.js'
import type { VisitorRoom } from './rooms.js'

/** The collections that hold what a visitor's rooms, token and contact leave behind. */
export type ErasedCollections = Pick<LivechatCollections,
  'messages' | 'subscriptions' | 'inquiries' | 'rooms' | 'uploads' | 'uploadFiles' | 'uploadChunks' | 'readReceipts' | 'contacts'>

/**
 * Deletes rooms with what Rocket.Chat's cleanGuestHistory deletes of them (messages, subscriptions,
 * inquiries, read receipts, uploads with their GridFS files), the inquiries naming the token, and the
 * token's navigation history (with or without a room).
 */
export async function removeRoomsAndHistory (collections: ErasedCollections, rooms: VisitorRoom[], token: Token): Promise<void> {
  const roomIds = rooms.map(room => room._id)
  const inRooms = { rid: { $in: roomIds } }
  await removeUploads(collections, roomIds)
  await collections.readReceipts.deleteMany({ roomId: { $in: roomIds } })
  await collections.messages.deleteMany(inRooms)
  await collections.subscriptions.deleteMany(inRooms)
  await collections.inquiries.deleteMany({ $or: [inRooms, { 'v.token': token }] })
  await collections.rooms.deleteMany({ _id: { $in: roomIds } })
  await removeNavigationHistory(collections, token)
}

/**
 * The rooms' uploads, and their content where Rocket.Chat's GridFS store keeps it (the GridFS file has
 * the upload's id). Content in another store (the file system, S3) is the host's to delete.
 */
async function removeUploads ({ uploads, uploadFiles, uploadChunks }: ErasedCollections, roomIds: Array<Document['_id']>): Promise<void> {
  const ids = (await uploads.findMany<{ _id: Document['_id'] }>({ rid: { $in: roomIds } }, { projection: { _id: 1 } })).map(upload => upload._id)
  await uploadChunks.deleteMany({ files_id: { $in: ids } })
  await uploadFiles.deleteMany({ _id: { $in: ids } })
  await uploads.deleteMany({ _id: { $in: ids } })
}

/** Rocket.Chat 7's LivechatContacts.disableByVisitorId, for every contact naming the visitor. */
export async function disableContactsOf (collections: ErasedCollections, visitorId: Document['_id']): Promise<void> {
  await collections.contacts.updateMany(
    { 'channels.visitor.visitorId': visitorId },
    { $set: { enabled: false }, $unset: { emails: 1, customFields: 1, lastChat: 1, channels: 1, name: 1, phones: 1, conflictingFields: 1 } }
  )
}

/** Deletes every navigation history entry of the token, with or without a room. */
export async function removeNavigationHistory (collections: ErasedCollections, token: Token): Promise<void> {
  await collections.messages.deleteMany({ 'navigation.token': token })
}
