import type { Collection, CreateIndexesOptions, Document, IndexDescriptionInfo, IndexSpecification } from 'mongodb'
import { DuplicateVisitorsError, IndexCreationError, IndexDropError, UniquenessNotEnforcedError } from '../errors.js'
import { withoutKeyValues } from './loggable-error.js'
import type { DriverCollections } from './collections.js'
import { verifyUniqueness, type UniqueField } from './uniqueness-probe.js'

interface IndexPlan {
  collection: Collection<Document>
  key: IndexSpecification
  options: CreateIndexesOptions & { name: string }
}

/** A unique index and the direction of its one-field key. */
interface UniqueIndex extends UniqueField {
  direction: 1 | -1
}

/**
 * The unique fields' indexes. Rocket.Chat keeps plain `token_1` and `username_1` and creates them
 * at every start, so the unique ones take a key pattern it never uses (descending): both servers
 * let the two stand side by side, and Rocket.Chat's createIndexes finds its own as it wants them.
 * Rocket.Chat has no index on `identity`, the plugin's own field.
 */
export const UNIQUE_FIELDS: readonly UniqueIndex[] = [
  { field: 'token', index: 'livechat_unique_token', direction: -1 },
  { field: 'username', index: 'livechat_unique_username', direction: -1 },
  { field: 'identity.userId', index: 'identity.userId_1', direction: 1 }
]

/** The plugin's earlier versions made Rocket.Chat's `token_1` and `username_1` unique, which its createIndexes refuses. */
const LEGACY_UNIQUE_INDEXES = ['token_1', 'username_1']

/**
 * Plain indexes first, under Rocket.Chat's names and with its options where it has the index
 * (packages/models, LivechatVisitors and Messages modelIndexes): a failure there is reported as it
 * is, without looking for duplicates.
 */
export function indexPlans ({ visitors, messages }: DriverCollections): IndexPlan[] {
  return [
    { collection: visitors, key: { 'visitorEmails.address': 1 }, options: { name: 'visitorEmails.address_1', sparse: true } },
    { collection: visitors, key: { 'phone.phoneNumber': 1 }, options: { name: 'phone.phoneNumber_1', sparse: true } },
    { collection: visitors, key: { erasureRequestedAt: 1 }, options: { name: 'erasureRequestedAt_1', sparse: true } },
    { collection: messages, key: { 'navigation.token': 1 }, options: { name: 'navigation.token_1', sparse: true } },
    ...UNIQUE_FIELDS.map(({ field, index, direction }) => ({
      collection: visitors, key: { [field]: direction }, options: { name: index, unique: true, sparse: true }
    }))
  ]
}

/** The values of the field that more than one visitor holds, each with how many hold it. */
export async function duplicatedValues (collection: Collection<Document>, field: string): Promise<Array<{ _id: unknown, count: number }>> {
  // Counted with $sum: 1: FerretDB 1.24's $group answers 0 for a $sum of a field.
  return collection.aggregate<{ _id: unknown, count: number }>([
    { $match: { [field]: { $exists: true } } },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    { $match: { count: { $gt: 1 } } }
  ]).toArray()
}

/** How many values of the field more than one visitor holds, and how many visitors hold them (counts, never the values); undefined for none. */
async function countDuplicates (collection: Collection<Document>, field: string): Promise<{ values: number, visitors: number } | undefined> {
  const counts = await duplicatedValues(collection, field)
  if (counts.length === 0) return undefined
  return { values: counts.length, visitors: counts.reduce((sum, { count }) => sum + count, 0) }
}

async function explainIndexFailure ({ collection, key, options }: IndexPlan, error: Error): Promise<Error> {
  const field = Object.keys(key)[0]
  const duplicates = options.unique === true ? await countDuplicates(collection, field) : undefined
  return duplicates !== undefined
    ? new DuplicateVisitorsError(options.name, collection.collectionName,
      `${duplicates.values} ${field} value(s) are each held by more than one visitor (${duplicates.visitors} visitors in all); ` +
      `list them with db.${collection.collectionName}.aggregate([{$group: {_id: "$${field}", n: {$sum: 1}}}, {$match: {n: {$gt: 1}}}])`)
    : new IndexCreationError(options.name, collection.collectionName, withoutKeyValues(error.message))
}

async function createIndex (plan: IndexPlan): Promise<void> {
  try {
    await plan.collection.createIndex(plan.key, plan.options)
  } catch (error) {
    throw await explainIndexFailure(plan, error as Error)
  }
}

/** The index of the expiry timer's query, plain; created with Rocket.Chat's TTL spec where the server has TTL indexes. */
export function expiryIndexPlan (messages: Collection<Document>): IndexPlan {
  return { collection: messages, key: { expireAt: 1 }, options: { name: 'expireAt_1' } }
}

/**
 * The index of the expiry timer's query, with Rocket.Chat's own TTL spec where the server makes TTL
 * indexes, so that Rocket.Chat's createIndexes finds it as it wants it: the plugin's entries store a
 * number there, which no TTL index removes. FerretDB answers "not implemented": a plain index there.
 */
async function createExpiryIndex (messages: Collection<Document>): Promise<void> {
  const plan = expiryIndexPlan(messages)
  try {
    await messages.createIndex(plan.key, { ...plan.options, expireAfterSeconds: 0 })
  } catch {
    await createIndex(plan)
  }
}

/** The plugin's earlier unique `token_1` and `username_1` that the collection still has (Rocket.Chat's own are never unique). */
export function legacyUniqueIndexes (indexes: IndexDescriptionInfo[]): string[] {
  return indexes.filter(index => LEGACY_UNIQUE_INDEXES.includes(String(index.name)) && index.unique === true).map(index => index.name as string)
}

/**
 * Before the earlier unique indexes go, the new ones must be listed as unique: FerretDB answers
 * success for an index whose name exists with other options and leaves it as it was.
 */
function assertListedUnique (visitors: Collection<Document>, indexes: IndexDescriptionInfo[]): void {
  for (const { field, index } of UNIQUE_FIELDS) {
    if (indexes.find(listed => listed.name === index)?.unique !== true) throw new UniquenessNotEnforcedError(index, visitors.collectionName, field)
  }
}

/**
 * Drops the legacy unique indexes, once the unique indexes that replace them are listed as unique.
 * Rocket.Chat creates its plain ones again at its next start. Another process dropping one first is
 * no error.
 */
async function dropLegacyUniqueIndexes (visitors: Collection<Document>): Promise<string[]> {
  const indexes = await visitors.indexes()
  assertListedUnique(visitors, indexes)
  const legacy = legacyUniqueIndexes(indexes)
  for (const name of legacy) {
    await visitors.dropIndex(name).catch((error: { code?: unknown, message?: unknown }) => {
      // IndexNotFound (27): another process dropped it first.
      if (error.code !== 27) throw new IndexDropError(name, visitors.collectionName, withoutKeyValues(String(error.message)))
    })
  }
  return legacy
}

/**
 * Creates (idempotently) every index the plugin relies on, drops the plugin's earlier unique indexes
 * that Rocket.Chat's index creation refuses, and proves with a probe that the unique ones refuse a
 * second visitor (the earlier ones would refuse the probe too, hence after they are gone).
 * Answers the names of the indexes it dropped.
 */
export async function ensureIndexes (collections: DriverCollections): Promise<string[]> {
  for (const plan of indexPlans(collections)) await createIndex(plan)
  await createExpiryIndex(collections.messages)
  const dropped = await dropLegacyUniqueIndexes(collections.visitors)
  await verifyUniqueness(collections.visitors, UNIQUE_FIELDS)
  return dropped
}
