import t from 'tap'
import { MongoClient } from 'mongodb'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../example/app.js'
import { WITHOUT_OVERLOAD_REFUSALS } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'
import { startLoad, type LoadResult } from './load.js'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'

// Hundreds of concurrent first registrations of a few tokens, against two app
// instances with their own clients (two guest-number queues, as two processes
// have): one visitor per token, every answer the same, guest numbers unique.

const REQUESTS = 600
const TOKENS = 6
const { db, url, clientOptions } = await testDatabase(t, import.meta.filename)

async function instance (): Promise<{ app: FastifyInstance, baseUrl: string }> {
  const client = new MongoClient(url, clientOptions)
  t.teardown(() => client.close())
  const app = await buildApp({ db: client.db(db.databaseName), pressure: WITHOUT_OVERLOAD_REFUSALS })
  t.teardown(() => app.close())
  return { app, baseUrl: await app.listen({ host: '127.0.0.1', port: 0 }) }
}

const [first, second] = [await instance(), await instance()]
const loads = [
  startLoad({ baseUrl: first.baseUrl, plan: 'storm', prefix: 'storm', tokens: TOKENS, concurrency: 50, timeoutMs: 30_000, total: REQUESTS / 2 }),
  startLoad({ baseUrl: second.baseUrl, plan: 'storm', prefix: 'storm', tokens: TOKENS, concurrency: 50, timeoutMs: 30_000, total: REQUESTS / 2 })
]
const results: LoadResult[] = (await Promise.all(loads.map(load => load.results))).flat()

t.test('every registration succeeded', async t => {
  t.equal(results.length, REQUESTS)
  t.same(results.filter(r => r.status !== 200), [])
})

t.test('each token converged on one visitor, and every answer for it is the same', async t => {
  const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
  for (let i = 0; i < TOKENS; i++) {
    const token = `storm-${i}`
    const stored = await visitors.find({ token }).toArray()
    t.equal(stored.length, 1, `${token}: one document`)
    const answers = new Set(results.filter(r => r.key === token).map(r => JSON.stringify(r.visitor)))
    t.same([...answers], [JSON.stringify({ _id: stored[0]?._id, username: stored[0]?.username })], `${token}: one _id and username in all answers`)
  }
  const usernames = (await visitors.find({ token: /^storm-/ }).toArray()).map(v => v.username)
  t.equal(new Set(usernames).size, TOKENS, 'guest numbers are unique across the two instances')
})
