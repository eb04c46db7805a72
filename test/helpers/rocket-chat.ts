import type { Collection, Db, Document, IndexDescription } from 'mongodb'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'

// Rocket.Chat's own index specs, as its models declare them (packages/models/src/models/LivechatVisitors.ts,
// LivechatVisitorsRaw.modelIndexes, 7.x; and Messages.ts, MessagesRaw.modelIndexes, its livechat entries and
// the TTL one). BaseRaw.createIndexes sends each model's list in one createIndexes call at every start.
export const ROCKET_CHAT_VISITOR_INDEXES: IndexDescription[] = [
  { key: { token: 1 } },
  { key: { 'phone.phoneNumber': 1 }, sparse: true },
  { key: { 'visitorEmails.address': 1 }, sparse: true },
  { key: { name: 1 }, sparse: true },
  { key: { username: 1 } },
  { key: { 'contactMananger.username': 1 }, sparse: true },
  { key: { 'livechatData.$**': 1 } },
  { key: { disabled: 1 }, partialFilterExpression: { disabled: { $exists: true } } }
]
export const ROCKET_CHAT_MESSAGE_INDEXES: IndexDescription[] = [
  { key: { expireAt: 1 }, expireAfterSeconds: 0 },
  { key: { 'navigation.token': 1 }, sparse: true }
]

/** The name the server gives an index of this key: {token: 1} is token_1. */
export const indexName = (spec: IndexDescription) => Object.entries(spec.key).map(([field, direction]) => `${field}_${String(direction)}`).join('_')

/**
 * Rocket.Chat's BaseRaw.createIndexes: on MongoDB its one call. FerretDB 1.24 implements neither
 * partialFilterExpression nor expireAfterSeconds, and answers a createIndexes naming two indexes that
 * exist with success without creating the others, or by dropping the connection
 * (docs/embedded-database.md): there the specs go one per call, without what it does not implement.
 */
async function createIndexesAsRocketChat (collection: Collection<Document>, specs: IndexDescription[], onFerretDB: boolean): Promise<void> {
  if (!onFerretDB) {
    await collection.createIndexes(specs)
    return
  }
  for (const { expireAfterSeconds, ...implemented } of specs.filter(spec => spec.partialFilterExpression === undefined)) {
    await collection.createIndexes([implemented])
  }
}

/** What Rocket.Chat's start does to the visitors' and messages' indexes. */
export async function rocketChatCreatesItsIndexes (database: Db, onFerretDB: boolean): Promise<void> {
  await createIndexesAsRocketChat(database.collection(DEFAULT_COLLECTIONS.visitors), ROCKET_CHAT_VISITOR_INDEXES, onFerretDB)
  await createIndexesAsRocketChat(database.collection(DEFAULT_COLLECTIONS.messages), ROCKET_CHAT_MESSAGE_INDEXES, onFerretDB)
}

/**
 * Rocket.Chat opening a room for the visitor: Messages.setRoomIdByToken (packages/models/src/models/Messages.ts),
 * updateMany({'navigation.token': token, rid: null}, {$set: {rid}}). It leaves expireAt as it was.
 */
export async function setRoomIdByToken (messages: Collection<Document>, token: string, rid: string): Promise<void> {
  await messages.updateMany({ 'navigation.token': token, rid: null }, { $set: { rid } })
}
