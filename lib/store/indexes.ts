import type { Collection, CreateIndexesOptions, Document, IndexSpecification } from 'mongodb'
import { DuplicateVisitorsError, IndexCreationError } from '../errors.js'
import { withoutKeyValues } from './loggable-error.js'
import type { DriverCollections } from './collections.js'

interface IndexPlan {
  collection: Collection<Document>
  key: IndexSpecification
  options: CreateIndexesOptions & { name: string }
}

/** Plain indexes first: a failure there is reported as it is, without looking for duplicates. */
function indexPlans ({ visitors, messages }: DriverCollections): IndexPlan[] {
  return [
    { collection: visitors, key: { 'visitorEmails.address': 1 }, options: { name: 'visitorEmails.address_1', sparse: true } },
    { collection: visitors, key: { 'phone.phoneNumber': 1 }, options: { name: 'phone.phoneNumber_1', sparse: true } },
    { collection: visitors, key: { erasureRequestedAt: 1 }, options: { name: 'erasureRequestedAt_1', sparse: true } },
    { collection: messages, key: { 'navigation.token': 1 }, options: { name: 'navigation.token_1', sparse: true } },
    { collection: visitors, key: { token: 1 }, options: { name: 'token_1', unique: true, sparse: true } },
    { collection: visitors, key: { username: 1 }, options: { name: 'username_1', unique: true, sparse: true } },
    { collection: visitors, key: { 'identity.userId': 1 }, options: { name: 'identity.userId_1', unique: true, sparse: true } }
  ]
}

/** How many values of the field more than one visitor holds, and how many visitors hold them (counts, never the values); undefined for none. */
async function countDuplicates (collection: Collection<Document>, field: string): Promise<{ values: number, visitors: number } | undefined> {
  // Summed here: FerretDB 1.24's $group answers 0 for a $sum of a field.
  const counts = await collection.aggregate<{ count: number }>([
    { $match: { [field]: { $exists: true } } },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    { $match: { count: { $gt: 1 } } },
    { $project: { _id: 0, count: 1 } }
  ]).toArray()
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

/**
 * The index of the expiry timer's query, with Rocket.Chat's own TTL spec where the server makes TTL
 * indexes, so that Rocket.Chat's createIndexes finds it as it wants it: the plugin's entries store a
 * number there, which no TTL index removes. FerretDB answers "not implemented": a plain index there.
 */
async function createExpiryIndex (messages: Collection<Document>): Promise<void> {
  const plan: IndexPlan = { collection: messages, key: { expireAt: 1 }, options: { name: 'expireAt_1' } }
  try {
    await messages.createIndex(plan.key, { ...plan.options, expireAfterSeconds: 0 })
  } catch {
    await createIndex(plan)
  }
}

/** Creates (idempotently) every index the plugin relies on. */
export async function ensureIndexes (collections: DriverCollections): Promise<void> {
  for (const plan of indexPlans(collections)) await createIndex(plan)
  await createExpiryIndex(collections.messages)
}
