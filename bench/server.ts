// The server under test, a child process of the benchmark: a minimal host with
// the plugin under /api/v1, the ceiling's bare routes under /ceiling, and
// GET /__cpu with this process's CPU time in microseconds. It tells its parent
// its address over IPC, and exits cleanly on SIGTERM so that `--cpu-prof` can
// write its profile.
import Fastify, { type FastifyInstance } from 'fastify'
import { MongoClient, type Db, type Document } from 'mongodb'
import { mongoClientOptions } from '../example/config.js'
import livechat, { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { projectionOf } from '../lib/store/collections.js'
import { GUEST_COUNTER_ID } from '../lib/store/guest-counter.js'
import { NAVIGATION_HISTORY_TYPE } from '../schemas/shared.js'
import { PUBLIC_VISITOR_FIELDS } from '../schemas/visitor.js'

const PUBLIC_PROJECTION = projectionOf(PUBLIC_VISITOR_FIELDS)
const HISTORY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/**
 * The ceiling: the plugin's three seed routes as bare Fastify routes doing the
 * same MongoDB operations on the same collections, with no schemas, no
 * validation and no error envelope. Registration keeps what a correct
 * register-or-update must do: update by token, and only on a miss take a guest
 * number and insert. Guest numbers are taken one at a time because FerretDB's
 * $inc is not atomic and the username index is unique.
 */
async function ceilingRoutes (fastify: FastifyInstance, { db }: { db: Db }): Promise<void> {
  const visitors = db.collection<Document>(DEFAULT_COLLECTIONS.visitors)
  const messages = db.collection<Document>(DEFAULT_COLLECTIONS.messages)
  const settings = db.collection<Document>(DEFAULT_COLLECTIONS.settings)
  let guestQueue: Promise<unknown> = Promise.resolve()

  function nextGuestNumber (): Promise<number> {
    const next = guestQueue.then(async () => {
      const counter = await settings.findOneAndUpdate(
        { _id: GUEST_COUNTER_ID as never }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' }
      )
      return (counter as Document).value as number
    })
    guestQueue = next.catch(() => undefined)
    return next
  }

  fastify.get('/livechat/visitor/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    const visitor = await visitors.findOne({ token }, { projection: PUBLIC_PROJECTION })
    if (visitor === null) return reply.code(400).send({ success: false })
    return { visitor, success: true }
  })

  fastify.post('/livechat/visitor', async (request) => {
    const { token, name, email } = (request.body as { visitor: { token: string, name?: string, email?: string } }).visitor
    const now = new Date()
    const fields = { token, name, visitorEmails: [{ address: email }], status: 'online', _updatedAt: now }
    const updated = await visitors.findOneAndUpdate({ token }, { $set: fields }, { returnDocument: 'after' })
    if (updated !== null) return { visitor: updated, success: true }
    const created = { username: `guest-${await nextGuestNumber()}`, ts: now, ...fields }
    await visitors.insertOne(created)
    return { visitor: created, success: true }
  })

  fastify.post('/livechat/page.visited', async (request) => {
    const { token, pageInfo } = request.body as { token: string, pageInfo: { title: string, location: { href: string } } }
    const now = new Date()
    const navigation = { page: pageInfo, token }
    const msg = `${pageInfo.title} - ${pageInfo.location.href}`
    await messages.insertOne({
      t: NAVIGATION_HISTORY_TYPE,
      ts: now,
      msg,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      groupable: false,
      navigation,
      expireAt: now.getTime() + HISTORY_RETENTION_MS,
      _hidden: true,
      _updatedAt: now
    })
    return { page: { msg, navigation }, success: true }
  })
}

function requiredEnv (name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`bench server: ${name} is not set`)
  return value
}

// MONGO_URL is inherited from the benchmark's environment: unset, BENCH_MONGO_URL is the embedded database.
const client = new MongoClient(requiredEnv('BENCH_MONGO_URL'), mongoClientOptions(process.env.MONGO_URL))
const db = client.db(requiredEnv('BENCH_DB_NAME'))
const app = Fastify()
// The scale run's lookups among 200,000 visitors take seconds on FerretDB (it scans the collection).
await app.register(livechat, { prefix: '/api/v1', db, databaseTimeoutMs: 60_000 })
await app.register(ceilingRoutes, { prefix: '/ceiling', db })
app.get('/__cpu', async () => {
  const { user, system } = process.cpuUsage()
  return { micros: user + system }
})

async function shutdown (): Promise<void> {
  await app.close()
  await client.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('disconnect', shutdown)

const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.send?.({ address })
