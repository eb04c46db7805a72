import type { Collection, CreateIndexesOptions, Document, IndexSpecification } from 'mongodb'
import { DuplicateVisitorsError, IndexCreationError } from '../errors.js'
import type { DriverCollections } from './collections.js'

/** How expired navigation history goes: by the server's TTL index, or by the plugin's timer. */
export type HistoryExpiry = 'ttl-index' | 'timer'

/** What ensuring the indexes found: how history expires, and why the server made no TTL index. */
export type EnsuredIndexes = { historyExpiry: 'ttl-index' } | { historyExpiry: 'timer', ttlRefusal: string }

interface IndexPlan {
  collection: Collection<Document>
  key: IndexSpecification
  options: CreateIndexesOptions & { name: string }
}

const DUPLICATES_SHOWN = 10

/** Plain indexes first: a failure there is reported as it is, without looking for duplicates. */
function indexPlans ({ visitors, messages }: DriverCollections): IndexPlan[] {
  return [
    { collection: visitors, key: { 'visitorEmails.address': 1 }, options: { name: 'visitorEmails.address_1', sparse: true } },
    { collection: visitors, key: { 'phone.phoneNumber': 1 }, options: { name: 'phone.phoneNumber_1', sparse: true } },
    { collection: messages, key: { 'navigation.token': 1 }, options: { name: 'navigation.token_1', sparse: true } },
    { collection: visitors, key: { token: 1 }, options: { name: 'token_1', unique: true, sparse: true } },
    { collection: visitors, key: { username: 1 }, options: { name: 'username_1', unique: true, sparse: true } }
  ]
}

async function findDuplicates (collection: Collection<Document>, field: string): Promise<string[]> {
  const duplicates = await collection.aggregate<{ _id: unknown, count: number }>([
    { $match: { [field]: { $exists: true } } },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    { $match: { count: { $gt: 1 } } },
    { $sort: { count: -1 } }
  ]).toArray()
  return duplicates.map(d => `${JSON.stringify(d._id)} (${d.count} visitors)`)
}

async function explainIndexFailure ({ collection, key, options }: IndexPlan, error: Error): Promise<Error> {
  const field = Object.keys(key)[0]
  const duplicates = options.unique === true ? await findDuplicates(collection, field) : []
  return duplicates.length > 0
    ? new DuplicateVisitorsError(options.name, collection.collectionName,
      `${duplicates.length} ${field} value(s) are held by more than one visitor: ${duplicates.slice(0, DUPLICATES_SHOWN).join(', ')}`)
    : new IndexCreationError(options.name, collection.collectionName, error.message)
}

async function createIndex (plan: IndexPlan): Promise<void> {
  try {
    await plan.collection.createIndex(plan.key, plan.options)
  } catch (error) {
    throw await explainIndexFailure(plan, error as Error)
  }
}

/**
 * A TTL index where the server makes one. FerretDB answers "not implemented":
 * there a plain index serves the plugin's own expiry timer.
 */
async function createExpiryIndex (messages: Collection<Document>): Promise<EnsuredIndexes> {
  const plan: IndexPlan = { collection: messages, key: { expireAt: 1 }, options: { name: 'expireAt_1' } }
  try {
    await messages.createIndex(plan.key, { ...plan.options, expireAfterSeconds: 0 })
    return { historyExpiry: 'ttl-index' }
  } catch (error) {
    await createIndex(plan)
    return { historyExpiry: 'timer', ttlRefusal: (error as Error).message }
  }
}

/** Creates (idempotently) every index the plugin relies on, and says how history will expire. */
export async function ensureIndexes (collections: DriverCollections): Promise<EnsuredIndexes> {
  for (const plan of indexPlans(collections)) await createIndex(plan)
  return createExpiryIndex(collections.messages)
}
