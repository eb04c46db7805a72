import type { Collection, Document } from 'mongodb'
import type { DriverCollections } from '../store/collections.js'
import { ensureIndexes } from '../store/indexes.js'
import { DATE_EXPIRY, type Diagnosis } from './diagnosis.js'

const ENTRIES_PER_READ = 500

/**
 * Each Date expiry becomes the same instant in milliseconds, as Rocket.Chat stores it: no TTL index
 * removes a number. A page at a time, read before it is written, since a converted entry no longer
 * matches; one update per entry, since FerretDB 1.24 takes a time that grows faster than the count
 * of updates sent in one command (a hundred did not finish in 20 s).
 */
async function storeDateExpiriesAsMilliseconds (messages: Collection<Document>): Promise<number> {
  let converted = 0
  for (;;) {
    const entries = await messages.find<{ _id: Document['_id'], expireAt: Date }>(DATE_EXPIRY, { projection: { expireAt: 1 }, limit: ENTRIES_PER_READ }).toArray()
    if (entries.length === 0) return converted
    for (const { _id, expireAt } of entries) {
      converted += (await messages.updateOne({ _id }, { $set: { expireAt: expireAt.getTime() } })).modifiedCount
    }
  }
}

/**
 * The safe changes: the plugin's indexes as its start-up makes them (created, the earlier unique
 * ones dropped, uniqueness proven), unless something stops it; and the Date expiries
 * stored as numbers. Answers what it did, a line each.
 */
export async function repair (collections: DriverCollections, diagnosis: Diagnosis): Promise<string[]> {
  const done: string[] = []
  if (diagnosis.indexesBlockedBy !== undefined) {
    done.push(`indexes: left as they are, since ${diagnosis.indexesBlockedBy}`)
  } else {
    const dropped = await ensureIndexes(collections)
    done.push(`indexes: ensured, and each unique one proven to refuse a second visitor${dropped.length > 0 ? `; dropped ${dropped.join(', ')}` : ''}`)
  }
  const converted = await storeDateExpiriesAsMilliseconds(collections.messages)
  if (converted > 0) done.push(`history: ${converted} Date expiries stored in milliseconds`)
  return done
}
