import t from 'tap'
import { buildApp } from '../example/app.js'
import { databaseContents } from './helpers/database.js'
import { AGENT_BEARER, pageInfo, REQUEST_TO_EVERY_ROUTE } from './helpers/every-route.js'
import { DATABASE_UNAVAILABLE_ANSWER, timedInject } from './helpers/http.js'
import { restartableDatabase } from './helpers/restartable-database.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

// The database goes away and comes back under a running app: every route
// answers 503 fast and honestly meanwhile, and afterwards everything written
// before is still there and new requests succeed, without a restart.

const database = await restartableDatabase(t)
const db = database.client.db('outage')
// An idle app on small data can take a tight deadline: even a call the driver leaves hanging
// (docs/reliability.md) then answers within the bound.
const app = await buildApp({ db, agentToken: AGENT_BEARER, databaseTimeoutMs: 1500 })
t.teardown(() => app.close())

const BOUND_MS = 2000
const requests = REQUEST_TO_EVERY_ROUTE

await db.collection(DEFAULT_COLLECTIONS.customFields).insertOne({ _id: 'address' as never, scope: 'visitor', visibility: 'visible' })
await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: 'room-1', t: 'l', open: false, v: { token: 'known-1' } } as never)
for (let i = 1; i <= 20; i++) {
  await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: `known-${i}`, name: `Visitor ${i}` } } })
  await app.inject({ method: 'POST', url: '/api/v1/livechat/page.visited', payload: { token: `known-${i}`, pageInfo: pageInfo(`https://a.example/${i}`) } })
}
const before = await databaseContents(db)

t.test('with the database down, every route answers 503 with Retry-After within the bound', async t => {
  await database.stop()
  for (const request of requests) {
    const { res, ms } = await timedInject(app, request)
    const name = `${request.method} ${request.url}`
    t.same([res.statusCode, res.json()], [503, DATABASE_UNAVAILABLE_ANSWER], name)
    t.equal(res.headers['retry-after'], '5', name)
    t.ok(ms < BOUND_MS, `${name} answered in ${Math.round(ms)} ms`)
  }
  const health = await timedInject(app, { url: '/health' })
  t.same([health.res.statusCode, health.res.json()], [503, { status: 'database unavailable' }])
  t.ok(health.ms < BOUND_MS, `health answered in ${Math.round(health.ms)} ms`)
})

t.test('concurrent registrations during the outage all answer within the bound, not one after another', async t => {
  const start = performance.now()
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: `storm-${i}` } } })))
  const ms = performance.now() - start
  t.same(new Set(answers.map(res => res.statusCode)), new Set([503]))
  t.ok(ms < 2 * BOUND_MS, `20 queued registrations answered in ${Math.round(ms)} ms`)
})

t.test('with the database back, requests succeed again and nothing written before is lost', async t => {
  await database.start()
  let first = await app.inject(requests[2])
  for (let tries = 0; first.statusCode !== 200 && tries < 20; tries++) first = await app.inject(requests[2])
  t.equal(first.statusCode, 200, 'the app reconnected by itself')
  t.equal(await databaseContents(db), before, 'every document is as it was')
  const answers = []
  for (const request of requests) answers.push((await app.inject(request)).statusCode)
  t.same(answers, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 400, 200, 200, 200, 200, 200, 200, 400, 200, 200, 200],
    'each route answers as it would have (no visitor has the id abc, no definition is named no-such-field)')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
  const created = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'after-1' } } })
  t.equal(created.statusCode, 200)
})
