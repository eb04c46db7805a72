import type { Db, Document } from 'mongodb'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const VISITORS = DEFAULT_COLLECTIONS.visitors
const BATCH_SIZE = 5000

/** The token of the i-th seeded visitor; the load picks tokens from 0 to count - 1. */
export function seededToken (index: number): string {
  return `bench-visitor-${index}`
}

function visitorDocument (index: number, now: Date): Document {
  return {
    _id: `benchVisitor${String(index).padStart(8, '0')}`,
    username: `bench-${index}`,
    token: seededToken(index),
    name: `Visitor ${index}`,
    visitorEmails: [{ address: `visitor${index}@example.com` }],
    phone: [{ phoneNumber: `55 51 ${String(index).padStart(8, '0')}` }],
    status: 'online',
    livechatData: { address: 'pimentaCHAT street' },
    ts: now,
    _updatedAt: now
  }
}

/** Empties the database and inserts `count` visitors in batches. */
export async function seedVisitors (db: Db, count: number): Promise<void> {
  await db.dropDatabase()
  const visitors = db.collection(VISITORS)
  const now = new Date()
  for (let first = 0; first < count; first += BATCH_SIZE) {
    const batch = []
    for (let index = first; index < Math.min(first + BATCH_SIZE, count); index++) batch.push(visitorDocument(index, now))
    await visitors.insertMany(batch, { ordered: false })
  }
}

/** A read-only dataset is kept between runs: it is seeded again only when its visitor count is not the one asked for. */
export async function ensureVisitors (db: Db, count: number): Promise<void> {
  const present = await db.collection(VISITORS).countDocuments({ token: { $exists: true } })
  if (present !== count) await seedVisitors(db, count)
}

/** Removes what a write benchmark added after `since`, so that every run starts from the same data. */
export async function removeAddedSince (db: Db, since: Date): Promise<void> {
  await db.collection(VISITORS).deleteMany({ ts: { $gte: since } })
  await db.collection(DEFAULT_COLLECTIONS.messages).deleteMany({ ts: { $gte: since } })
}
