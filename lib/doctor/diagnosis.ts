import type { Collection, Db, Document } from 'mongodb'
import { NAVIGATION_HISTORY_TYPE } from '../../schemas/shared.js'
import type { DriverCollections } from '../store/collections.js'
import { duplicatedValues, indexPlans, legacyUniqueIndexes, UNIQUE_FIELDS } from '../store/indexes.js'

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
  /** Whether visitors share a unique field: the indexes cannot be created then. */
  hasDuplicates: boolean
}

const DUPLICATE_GROUPS_SHOWN = 10

async function checkDuplicates (visitors: Collection<Document>): Promise<Check[]> {
  return Promise.all(UNIQUE_FIELDS.map(async ({ field }) => {
    const values = await duplicatedValues(visitors, field)
    if (values.length === 0) return { subject: `${field}: no two visitors share one` }
    // The visitors' _ids only: the value may be a token, which is a credential.
    const groups = await Promise.all(values.slice(0, DUPLICATE_GROUPS_SHOWN).map(async ({ _id: value }) =>
      (await visitors.find({ [field]: value }, { projection: { _id: 1 } }).toArray()).map(visitor => String(visitor._id)).join(', ')))
    return {
      subject: `${field}: ${values.length} value(s) are each held by more than one visitor (${values.reduce((sum, { count }) => sum + count, 0)} visitors in all)`,
      problem: `its unique index cannot be created; the visitors' _ids, a group per value: ${groups.join(' | ')}${values.length > DUPLICATE_GROUPS_SHOWN ? ' | ...' : ''}`,
      fix: 'not done by --fix: which visitor is the real one is yours to decide; merge or remove the others'
    }
  }))
}

async function checkIndexes (db: Db, collections: DriverCollections): Promise<Check[]> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map(collection => collection.name))
  const indexesOf = async (collection: Collection<Document>) => existing.has(collection.collectionName) ? collection.indexes() : []
  const checks: Check[] = []
  const expiryIndex = { collection: collections.messages, options: { name: 'expireAt_1', unique: false } }
  for (const { collection, options } of [...indexPlans(collections), expiryIndex]) {
    const subject = `${options.name} on ${collection.collectionName}`
    const index = (await indexesOf(collection)).find(candidate => candidate.name === options.name)
    if (index === undefined) checks.push({ subject, problem: 'missing', fix: 'created' })
    else if (options.unique === true && index.unique !== true) checks.push({ subject, problem: 'not unique', fix: 'not done by --fix: drop this index, then run --fix' })
    else checks.push({ subject: `${subject}: present${options.unique === true ? ', unique' : ''}` })
  }
  for (const name of legacyUniqueIndexes(await indexesOf(collections.visitors))) {
    checks.push({
      subject: `${name} on ${collections.visitors.collectionName}`,
      problem: 'unique, made by the plugin\'s earlier versions: Rocket.Chat\'s index creation fails while it is',
      fix: 'dropped once the plugin\'s unique indexes exist; Rocket.Chat creates its plain one again'
    })
  }
  return checks
}

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
  return {
    duplicates,
    indexes: await checkIndexes(db, collections),
    history: await checkHistory(collections.messages),
    hasDuplicates: duplicates.some(check => check.problem !== undefined)
  }
}
