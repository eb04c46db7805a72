import type { Collection, Db, Document, IndexDescriptionInfo } from 'mongodb'
import { NAVIGATION_HISTORY_TYPE } from '../../schemas/shared.js'
import type { DriverCollections } from '../store/collections.js'
import { duplicatedValues, expiryIndexPlan, indexPlans, legacyUniqueIndexes, UNIQUE_FIELDS } from '../store/indexes.js'

/** One thing the doctor looked at: fine when `problem` is absent; `fix` says what --fix does about it, if anything. */
export interface Check {
  subject: string
  problem?: string
  fix?: string
}

/** What the doctor found, read-only, in the order it prints it. */
export interface Diagnosis {
  duplicates: Check[]
  indexes: Check[]
  history: Check[]
  /** Why --fix cannot make the indexes, if something stops it. */
  indexesBlockedBy?: string
}

/** The most groups of visitors sharing a value, and the most _ids of a group, that are listed. */
const SHOWN = 10

/** A filter for the visitors holding this value, null matching only a null held (not a missing field). */
function holding (field: string, value: unknown): Document {
  return { [field]: value === null ? { $type: 'null' } : value }
}

const listed = (items: string[], more: boolean) => items.join(', ') + (more ? ', ...' : '')

async function checkDuplicates (visitors: Collection<Document>): Promise<Check[]> {
  return Promise.all(UNIQUE_FIELDS.map(async ({ field }) => {
    const values = await duplicatedValues(visitors, field)
    if (values.length === 0) return { subject: `${field}: no two visitors share one` }
    // The visitors' _ids only: the value may be a token, which is a credential.
    const groups = await Promise.all(values.slice(0, SHOWN).map(async ({ _id: value }) => {
      const ids = await visitors.find(holding(field, value), { projection: { _id: 1 }, sort: { _id: 1 }, limit: SHOWN + 1 }).toArray()
      return listed(ids.slice(0, SHOWN).map(visitor => String(visitor._id)), ids.length > SHOWN)
    }))
    groups.sort()
    return {
      subject: `${field}: ${values.length} value(s) are each held by more than one visitor (${values.reduce((sum, { count }) => sum + count, 0)} visitors in all)`,
      problem: `its unique index cannot be created; the visitors' _ids, a group per value: ${groups.join(' | ')}${values.length > SHOWN ? ' | ...' : ''}`,
      fix: 'not done by --fix: which visitor is the real one is yours to decide; merge or remove the others'
    }
  }))
}

async function checkIndexes (db: Db, collections: DriverCollections, duplicatesFound: boolean): Promise<Check[]> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map(collection => collection.name))
  // Each collection's indexes listed once: the plugin's are on the visitors and the messages.
  const indexesByCollection: Record<string, IndexDescriptionInfo[]> = Object.fromEntries(await Promise.all([collections.visitors, collections.messages].map(async collection =>
    [collection.collectionName, existing.has(collection.collectionName) ? await collection.indexes() : []])))
  const indexesOf = (collection: Collection<Document>) => indexesByCollection[collection.collectionName]
  const created = duplicatesFound ? 'not done by --fix while visitors share a unique field' : 'created'
  const checks: Check[] = []
  for (const { collection, options } of [...indexPlans(collections), expiryIndexPlan(collections.messages)]) {
    const subject = `${options.name} on ${collection.collectionName}`
    const index = indexesOf(collection).find(candidate => candidate.name === options.name)
    const unique = options.unique === true
    if (index === undefined) checks.push({ subject, problem: 'missing', fix: created })
    else if (unique && index.unique !== true) checks.push({ subject, problem: 'not unique', fix: NOT_UNIQUE_FIX })
    else checks.push({ subject: `${subject}: present${unique ? ', unique' : ''}` })
  }
  for (const name of legacyUniqueIndexes(indexesOf(collections.visitors))) {
    checks.push({
      subject: `${name} on ${collections.visitors.collectionName}`,
      problem: 'unique, made by the plugin\'s pre-release builds: Rocket.Chat\'s index creation fails while it is',
      fix: 'dropped once the plugin\'s unique indexes exist; Rocket.Chat creates its plain one again'
    })
  }
  return checks
}

const NOT_UNIQUE_FIX = 'not done by --fix: drop this index, then run --fix again'

/** Navigation entries with a Date in expireAt (the plugin's earlier versions): a TTL index on expireAt deletes them. */
export const DATE_EXPIRY = { t: NAVIGATION_HISTORY_TYPE, expireAt: { $type: 'date' } }

async function checkHistory (messages: Collection<Document>): Promise<Check[]> {
  const roomless = await messages.countDocuments({ ...DATE_EXPIRY, rid: null })
  const inRooms = await messages.countDocuments({ ...DATE_EXPIRY, rid: { $ne: null } })
  const fix = 'the same instant stored in milliseconds, as Rocket.Chat stores it, which no TTL index removes'
  return [
    roomless === 0
      ? { subject: 'roomless navigation entries: none has a Date expiry' }
      : { subject: `${roomless} roomless navigation entries have a Date expiry`, problem: 'Rocket.Chat\'s TTL index deletes them even after Rocket.Chat gives them a room', fix },
    inRooms === 0
      ? { subject: 'navigation entries in a room: none has a Date expiry' }
      : { subject: `${inRooms} navigation entries in a room have a Date expiry`, problem: 'Rocket.Chat\'s TTL index deletes them: the room loses its history', fix }
  ]
}

/** Looks at the database as the plugin would need it, changing nothing. */
export async function diagnose (db: Db, collections: DriverCollections): Promise<Diagnosis> {
  const duplicates = await checkDuplicates(collections.visitors)
  const duplicatesFound = duplicates.some(check => check.problem !== undefined)
  const indexes = await checkIndexes(db, collections, duplicatesFound)
  return { duplicates, indexes, history: await checkHistory(collections.messages), indexesBlockedBy: blockingReason(duplicatesFound, indexes) }
}

function blockingReason (duplicatesFound: boolean, indexes: Check[]): string | undefined {
  if (duplicatesFound) return 'visitors share a unique field'
  const notUnique = indexes.find(check => check.fix === NOT_UNIQUE_FIX)
  return notUnique && `${notUnique.subject} is not unique`
}
