import type { Collection, Db, Document } from 'mongodb'
import { BoundedCollection } from './bounded-collection.js'

export interface LivechatCollectionNames {
  visitors: string
  messages: string
  rooms: string
  customFields: string
  departments: string
  settings: string
  subscriptions: string
  inquiries: string
  uploads: string
  uploadFiles: string
  uploadChunks: string
  readReceipts: string
  contacts: string
}

/** Rocket.Chat's collection names. */
export const DEFAULT_COLLECTIONS: Readonly<LivechatCollectionNames> = Object.freeze({
  visitors: 'rocketchat_livechat_visitor',
  messages: 'rocketchat_message',
  rooms: 'rocketchat_room',
  customFields: 'rocketchat_livechat_custom_field',
  departments: 'rocketchat_livechat_department',
  settings: 'rocketchat_settings',
  subscriptions: 'rocketchat_subscription',
  inquiries: 'rocketchat_livechat_inquiry',
  uploads: 'rocketchat_uploads',
  // The GridFS bucket of Rocket.Chat's GridFS upload store.
  uploadFiles: 'rocketchat_uploads.files',
  uploadChunks: 'rocketchat_uploads.chunks',
  readReceipts: 'rocketchat_read_receipts',
  contacts: 'rocketchat_livechat_contact'
})

/** The driver's collection handles: for index builds at start, which have no deadline. */
export type DriverCollections = { [K in keyof LivechatCollectionNames]: Collection<Document> }

/** The collections as the stores use them, each call with a deadline. */
export type LivechatCollections = { [K in keyof LivechatCollectionNames]: BoundedCollection }

/** The collection handles, made once per registration rather than once per request. */
export function openCollections (db: Db, names: LivechatCollectionNames): DriverCollections {
  const entries = (Object.keys(names) as Array<keyof LivechatCollectionNames>).map(key => [key, db.collection(names[key])])
  return Object.fromEntries(entries) as DriverCollections
}

/** Every collection with the deadline `deadlineMs` on each call. */
export function withDeadline (collections: DriverCollections, deadlineMs: number): LivechatCollections {
  const entries = Object.entries(collections).map(([key, collection]) => [key, new BoundedCollection(collection, deadlineMs)])
  return Object.fromEntries(entries) as LivechatCollections
}

/** A projection of these fields. */
export function projectionOf (fields: readonly string[]): Document {
  return Object.fromEntries(fields.map(field => [field, 1]))
}

/**
 * A document id as the driver's filter types want it: the collections hold
 * Rocket.Chat's string ids, which the default typing takes for ObjectIds.
 */
export function asId (id: string): Document['_id'] {
  return id as unknown as Document['_id']
}
