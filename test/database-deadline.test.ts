import t from 'tap'
import { Writable } from 'node:stream'
import { setTimeout } from 'node:timers/promises'
import Fastify from 'fastify'
import { MongoClient } from 'mongodb'
import livechat, { DEFAULT_COLLECTIONS, errors } from '../lib/index.js'
import { openCollections, withDeadline } from '../lib/store/collections.js'
import { livechatApp } from './helpers/app.js'
import { emptyDatabaseBeside, testDatabase } from './helpers/database.js'
import { REQUEST_TO_EVERY_ROUTE } from './helpers/every-route.js'
import { freezableProxy } from './helpers/freezable-proxy.js'
import { neverAnswered, withCollectionMethod, withEveryCallHanging, withFirstGuestIncrementAfter } from './helpers/faults.js'
import { DATABASE_UNAVAILABLE_ANSWER as unavailable, getVisitor, post, timedInject } from './helpers/http.js'
import { restartablePort } from './helpers/ports.js'

// A database call that never settles (the driver's destroyed-socket race, docs/reliability.md)
// fails at the databaseTimeoutMs deadline: the request answers 503, and nothing waits behind it.

const { db, url, clientOptions } = await testDatabase(t, import.meta.filename)
const DEADLINE_MS = 300
const BOUND_MS = DEADLINE_MS + 700
// Long enough for six registrations to queue behind the hung increment even on a loaded machine.
const COUNTER_DEADLINE_MS = 1000
// connectTimeoutMS of the example's client options (2 s), for connections begun while the database was silent, and a margin.
const RECOVERY_BOUND_MS = 4000
const grantAll = () => 'granted' as const

await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: 'room-1', t: 'l', open: true, v: { token: 'known-1' } } as never)
await post(await livechatApp(t, db), 'visitor', { visitor: { token: 'known-1' } })

const freshDatabase = (suffix: string) => emptyDatabaseBeside(db, suffix)

t.test('with no database call ever answered, every route answers 503 with Retry-After at the deadline', async t => {
  const app = await livechatApp(t, withEveryCallHanging(db), { databaseTimeoutMs: DEADLINE_MS, authorizeAgent: grantAll, ensureIndexes: false })
  for (const request of REQUEST_TO_EVERY_ROUTE) {
    const name = `${request.method} ${request.url}`
    const { res, ms } = await timedInject(app, request)
    t.same([res.statusCode, res.json(), res.headers['retry-after']], [503, unavailable, '5'], name)
    t.ok(ms >= DEADLINE_MS - 5 && ms < BOUND_MS, `${name} answered in ${Math.round(ms)} ms`)
  }
})

t.test('a database that stops answering, its connections open: 503 at the deadline, and 200 again once it answers', async t => {
  const proxy = await freezableProxy(t, url)
  const client = new MongoClient(proxy.url, clientOptions)
  t.teardown(() => client.close())
  const app = await livechatApp(t, client.db(db.databaseName), { databaseTimeoutMs: DEADLINE_MS, authorizeAgent: grantAll })
  t.equal((await getVisitor(app, 'known-1')).statusCode, 200)
  proxy.freeze()
  for (const request of REQUEST_TO_EVERY_ROUTE) {
    const name = `${request.method} ${request.url}`
    const { res, ms } = await timedInject(app, request)
    t.same([res.statusCode, res.json()], [503, unavailable], name)
    t.ok(ms < BOUND_MS, `${name} answered in ${Math.round(ms)} ms`)
  }
  proxy.thaw()
  const thawed = performance.now()
  let res = await getVisitor(app, 'known-1')
  while (res.statusCode !== 200 && performance.now() - thawed < RECOVERY_BOUND_MS) res = await getVisitor(app, 'known-1')
  t.same([res.statusCode, res.json().visitor?.token], [200, 'known-1'], res.body)
  t.ok(performance.now() - thawed < RECOVERY_BOUND_MS, `answered 200 again ${Math.round(performance.now() - thawed)} ms after`)
})

t.test('the log line of a call past the deadline names the call', async t => {
  const lines: string[] = []
  const host = Fastify({ logger: { level: 'warn', stream: new Writable({ write (chunk, _, done) { lines.push(String(chunk)); done() } }) } })
  await host.register(livechat, { prefix: '/api/v1', db: withCollectionMethod(db, 'findOne', () => neverAnswered), databaseTimeoutMs: DEADLINE_MS })
  t.teardown(() => host.close())
  t.equal((await host.inject({ method: 'GET', url: '/api/v1/livechat/visitor/known-1' })).statusCode, 503)
  const refused = lines.map(line => JSON.parse(line)).find(entry => entry.msg === 'livechat request refused')
  t.match(refused, { errorType: 'database-unavailable', cause: `The database did not answer ${DEFAULT_COLLECTIONS.visitors}.findOne within ${DEADLINE_MS} ms` })
})

t.test('the host calling the service gets LIVECHAT_DATABASE_TIMEOUT, with the call it waited for', async t => {
  const app = await livechatApp(t, withCollectionMethod(db, 'updateMany', () => neverAnswered), { databaseTimeoutMs: DEADLINE_MS })
  const failure = await app.livechat.setVisitorStatus('known-1', 'busy').catch((error: unknown) => error)
  t.ok(failure instanceof errors.DatabaseTimeoutError)
  t.match(failure, {
    code: 'LIVECHAT_DATABASE_TIMEOUT',
    statusCode: 503,
    message: `The database did not answer ${DEFAULT_COLLECTIONS.rooms}.updateMany within ${DEADLINE_MS} ms`
  })
})

t.test('a guest-number increment that never settles fails the registrations queued behind it, and later ones go on', async t => {
  const fresh = await freshDatabase('counter')
  const { db: counterHangsOnce } = withFirstGuestIncrementAfter(fresh, 6, neverAnswered)
  const app = await livechatApp(t, counterHangsOnce, { databaseTimeoutMs: COUNTER_DEADLINE_MS })
  const start = performance.now()
  const queued = await Promise.all(Array.from({ length: 6 }, (_, i) => post(app, 'visitor', { visitor: { token: `hung-${i}` } })))
  const ms = performance.now() - start
  t.same(queued.map(res => [res.statusCode, res.json().errorType]), Array(6).fill([503, 'database-unavailable']))
  t.ok(ms < COUNTER_DEADLINE_MS + 700, `six queued registrations answered in ${Math.round(ms)} ms`)
  const later = await Promise.all(Array.from({ length: 3 }, (_, i) => post(app, 'visitor', { visitor: { token: `after-${i}` } })))
  t.same(later.map(res => res.statusCode), [200, 200, 200], 'registrations after the hung increment go on')
  t.same(later.map(res => res.json().visitor.username).sort(), ['guest-1', 'guest-2', 'guest-3'])
  t.equal(await fresh.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: /^hung-/ }), 0, 'nothing half-registered')
})

t.test('the deadline cancels the call in the driver: a write still waiting for a server never reaches it late', async t => {
  // Nothing listens on this port: the driver would wait out its 20 s of server selection.
  const client = new MongoClient(`mongodb://127.0.0.1:${await restartablePort()}`, { serverSelectionTimeoutMS: 20_000 })
  t.teardown(() => client.close())
  const driverCalls: Array<Promise<unknown>> = []
  const watched = withCollectionMethod(client.db('unreachable'), 'findOneAndUpdate', original => (...args: never[]) => {
    const call = original(...args) as Promise<unknown>
    driverCalls.push(call)
    return call
  })
  const app = await livechatApp(t, watched, { databaseTimeoutMs: DEADLINE_MS, ensureIndexes: false })
  const { res, ms } = await timedInject(app, { method: 'POST', url: '/api/v1/livechat/visitor.status', payload: { token: 'known-1', status: 'away' } })
  t.same([res.statusCode, res.json()], [503, unavailable])
  t.ok(ms < BOUND_MS, `answered in ${Math.round(ms)} ms`)
  t.equal(driverCalls.length, 1)
  const settled = await Promise.race([driverCalls[0].then(() => 'answered', (error: unknown) => error), setTimeout(BOUND_MS, 'still waiting')])
  t.ok(settled instanceof errors.DatabaseTimeoutError, 'the driver gave the call up with the deadline\'s error')
})

t.test('the expiry clean-up\'s delete has its interval as deadline: without a TTL index it scans the history', async t => {
  const interval = 4 * DEADLINE_MS
  const slowDelete = withCollectionMethod(db, 'deleteMany', original => async (...args: never[]) => {
    await setTimeout(2 * DEADLINE_MS)
    return original(...args)
  })
  const slow = await livechatApp(t, slowDelete, { databaseTimeoutMs: DEADLINE_MS, expiryCleanupIntervalMs: interval })
  t.equal(await slow.livechat.removeExpiredHistory(), 0, 'a delete longer than databaseTimeoutMs finishes')
  const hanging = await livechatApp(t, withCollectionMethod(db, 'deleteMany', () => neverAnswered), { databaseTimeoutMs: DEADLINE_MS, expiryCleanupIntervalMs: interval, ensureIndexes: false })
  await t.rejects(hanging.livechat.removeExpiredHistory(), {
    code: 'LIVECHAT_DATABASE_TIMEOUT',
    message: `The database did not answer ${DEFAULT_COLLECTIONS.messages}.deleteMany within ${interval} ms`
  }, 'one that never ends fails at the interval')
})

t.test('each bounded method does what the driver\'s does: its signal goes into the options, never into a filter or a document', async t => {
  const { visitors } = withDeadline(openCollections(await freshDatabase('methods'), DEFAULT_COLLECTIONS), DEADLINE_MS)
  const id = 'm-1' as never
  await visitors.insertOne({ _id: id, token: 'm-1', n: 1 })
  t.same(await visitors.findOne({ _id: id }), { _id: 'm-1', token: 'm-1', n: 1 }, 'insertOne, findOne')
  await visitors.updateOne({ _id: id }, { $set: { n: 2 } })
  await visitors.updateMany({ token: 'm-1' }, { $inc: { n: 1 } })
  const updated = await visitors.findOneAndUpdate({ _id: id }, { $inc: { n: 1 } }, { returnDocument: 'after' })
  t.same(updated, { _id: 'm-1', token: 'm-1', n: 4 }, 'updateOne, updateMany, findOneAndUpdate')
  t.same(await visitors.findMany({ token: 'm-1' }), [{ _id: 'm-1', token: 'm-1', n: 4 }], 'findMany')
  t.equal(await visitors.countDocuments({ token: 'm-1' }), 1, 'countDocuments')
  await visitors.deleteMany({ token: 'm-1' })
  t.equal(await visitors.countDocuments({}), 0, 'deleteMany')
  t.equal(visitors.deadlineMs, DEADLINE_MS)
})
