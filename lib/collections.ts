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

export function isDuplicateKeyError (error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000
}
