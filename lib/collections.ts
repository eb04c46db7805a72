import type { Collection, Db, Document } from 'mongodb'
import type { LivechatCollectionNames } from './options.js'

export type LivechatCollections = { [K in keyof LivechatCollectionNames]: Collection<Document> }

/** The collection handles, made once per registration rather than once per request. */
export function openCollections (db: Db, names: LivechatCollectionNames): LivechatCollections {
  return {
    visitors: db.collection(names.visitors),
    messages: db.collection(names.messages),
    rooms: db.collection(names.rooms),
    customFields: db.collection(names.customFields),
    departments: db.collection(names.departments),
    settings: db.collection(names.settings),
    subscriptions: db.collection(names.subscriptions),
    inquiries: db.collection(names.inquiries)
  }
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

export function isDuplicateKeyError (error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000
}
