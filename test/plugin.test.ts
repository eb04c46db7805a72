import t from 'tap'
import Fastify from 'fastify'
import rateLimit from '@fastify/rate-limit'
import livechat, { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { newId } from '../lib/store/ids.js'
import { livechatApp, registerError } from './helpers/app.js'
import { neverAnswered, withCollectionMethod } from './helpers/faults.js'
import { emptyDatabaseBeside, testDatabase } from './helpers/database.js'
import { getVisitor, post } from './helpers/http.js'
import { pageInfo } from './helpers/every-route.js'
import { setRoomIdByToken } from './helpers/rocket-chat.js'
import { GUEST_COUNTER_ID } from '../lib/store/guest-counter.js'

const { db, client } = await testDatabase(t, import.meta.filename)

t.test('options are checked at register with a TypeError naming the option', async t => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{}, 'db'],
    [{ db: {} }, 'db'],
    [{ db, collections: 'x' }, 'collections'],
    [{ db, collections: { visitors: '' } }, 'collections.visitors'],
    [{ db, collections: { visitors: 'a$b' } }, 'collections.visitors'],
    [{ db, collections: { nope: 'x' } }, 'collections.nope'],
    [{ db, historyMonitorType: 'click' }, 'historyMonitorType'],
    [{ db, navigationAsMessages: 'yes' }, 'navigationAsMessages'],
    [{ db, historyRetentionMs: 0 }, 'historyRetentionMs'],
    [{ db, historyRetentionMs: 1.5 }, 'historyRetentionMs'],
    [{ db, expiryCleanupIntervalMs: -1 }, 'expiryCleanupIntervalMs'],
    [{ db, databaseTimeoutMs: 0 }, 'databaseTimeoutMs'],
    [{ db, databaseTimeoutMs: '2s' }, 'databaseTimeoutMs'],
    [{ db, collectHttpHeaders: 1 }, 'collectHttpHeaders'],
    [{ db, systemUser: null }, 'systemUser'],
    [{ db, systemUser: { _id: 'x' } }, 'systemUser'],
    [{ db, systemUser: { _id: '', username: 'x' } }, 'systemUser'],
    [{ db, systemUser: { _id: 'x', username: 'x', name: '' } }, 'systemUser'],
    [{ db, systemUser: { _id: 'x', username: 'x', name: 7 } }, 'systemUser'],
    [{ db, ensureIndexes: 'no' }, 'ensureIndexes'],
    [{ db, bodyLimit: '10kb' }, 'bodyLimit'],
    [{ db, decorator: 'has space' }, 'decorator'],
    [{ db, allowEraseWithOpenRooms: 'yes' }, 'allowEraseWithOpenRooms'],
    [{ db, authorizeAgent: 'granted' }, 'authorizeAgent'],
    [{ db, collections: { inquiries: 'a b' } }, 'collections.inquiries'],
    [{ db, rateLimit: true }, 'rateLimit'],
    [{ db, rateLimit: null }, 'rateLimit'],
    [{ db, rateLimit: { registration: 5 } }, 'rateLimit.registration'],
    [{ db, rateLimit: { other: { max: 0 } } }, 'rateLimit.other.max'],
    [{ db, rateLimit: { other: { timeWindow: '1 minute' } } }, 'rateLimit.other.timeWindow'],
    [{ db, rateLimit: { tokens: { max: 1, timeWindow: 1 } } }, 'rateLimit.tokens'],
    [{ db, rateLimit: { tokenRoutes: { max: 1.5 } } }, 'rateLimit.tokenRoutes.max'],
    [{ db, identitySecret: 'too short a secret' }, 'identitySecret'],
    [{ db, identitySecret: new Uint8Array(31) }, 'identitySecret'],
    [{ db, identitySecret: 42 }, 'identitySecret']
  ]
  for (const [options, name] of cases) {
    const error = await registerError(options)
    t.type(error, TypeError, name)
    t.match(error.message, `option "${name}" must be`, name)
  }
})

t.test('identitySecret takes 32 bytes or more, and an error never shows the secret', async t => {
  t.equal((await registerError({ db, identitySecret: 'é'.repeat(16) })).message, 'register did not fail', '16 characters of 2 bytes each')
  t.equal((await registerError({ db, identitySecret: new Uint8Array(32) })).message, 'register did not fail', '32 bytes')
  const error = await registerError({ db, identitySecret: 'my-short-secret-value' })
  t.match(error.message, 'got 21 bytes')
  t.notMatch(error.message, 'my-short-secret-value')
})

t.test('regression: a timer option past what setTimeout takes is refused, not turned into a 1 ms timer by Node', async t => {
  for (const name of ['expiryCleanupIntervalMs', 'databaseTimeoutMs']) {
    const error = await registerError({ db, [name]: 2 ** 31 })
    t.type(error, TypeError, name)
    t.match(error.message, `option "${name}" must be at most 2147483647`, name)
    t.equal((await registerError({ db, [name]: 2 ** 31 - 1 })).message, 'register did not fail', `${name} at the largest delay is taken`)
  }
})

t.test('regression: a history retention past 100 years is refused', async t => {
  const error = await registerError({ db, historyRetentionMs: Number.MAX_SAFE_INTEGER })
  t.type(error, TypeError)
  t.match(error.message, 'option "historyRetentionMs" must be at most 3153600000000 (100 years)')
  t.equal((await registerError({ db, historyRetentionMs: 3_153_600_000_000 })).message, 'register did not fail', '100 years is taken')
})

t.test('the caller\'s options object is not mutated', async t => {
  const options = { prefix: '/api/v1', db, collections: { settings: DEFAULT_COLLECTIONS.settings } }
  const copy = { ...options, collections: { ...options.collections } }
  const app = Fastify()
  await app.register(livechat, options)
  await app.ready()
  await app.close()
  t.same(options, copy)
  t.equal(options.db, copy.db)
})

t.test('routes live under the prefix; the decorator reaches the host', async t => {
  const app = await livechatApp(t, db)
  t.equal((await app.inject({ method: 'GET', url: '/livechat/visitor/abc' })).statusCode, 404)
  t.equal(typeof app.livechat.registerVisitor, 'function')
})

t.test('registering twice under two prefixes works and shares one service', async t => {
  const app = Fastify()
  await app.register(livechat, { prefix: '/api/v1', db })
  await app.register(livechat, { prefix: '/legacy', db })
  await app.ready()
  t.teardown(() => app.close())
  const created = await app.inject({ method: 'POST', url: '/legacy/livechat/visitor', payload: { visitor: { token: 'twice-1' } } })
  t.equal(created.statusCode, 200)
  t.equal((await getVisitor(app, 'twice-1')).json().visitor._id, created.json().visitor._id)
})

t.test('registrations that differ in their route options only share one service', async t => {
  const app = Fastify()
  await app.register(rateLimit, { global: false })
  await app.register(livechat, { prefix: '/a', db, rateLimit: { registration: { max: 1, timeWindow: 60_000 } }, bodyLimit: 200 })
  await app.register(livechat, { prefix: '/b', db, rateLimit: false, authorizeAgent: () => 'granted' })
  // Equal values are the same options, even when they are other objects.
  await app.register(livechat, { prefix: '/c', db, systemUser: { _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' }, collections: { ...DEFAULT_COLLECTIONS } })
  await app.ready()
  t.teardown(() => app.close())
  const register = (prefix: string, token: string) => app.inject({ method: 'POST', url: `${prefix}/livechat/visitor`, payload: { visitor: { token } } })
  const created = await register('/a', 'shared-1')
  t.equal((await register('/a', 'shared-2')).statusCode, 429, '/a keeps its own rate limit')
  t.equal((await register('/b', 'shared-1')).json().visitor._id, created.json().visitor._id, 'both answer from one service')
  t.equal((await app.inject({ method: 'POST', url: '/a/livechat/visitor.status', payload: { token: 'shared-1', status: 'away', padding: 'x'.repeat(300) } })).statusCode, 413, '/a keeps its body limit')
  t.equal((await app.inject({ method: 'POST', url: '/b/livechat/visitor.status', payload: { token: 'shared-1', status: 'away', padding: 'x'.repeat(300) } })).statusCode, 200, '/b has the default one')
  t.equal((await app.inject('/b/livechat/visitors.search?term=x')).statusCode, 200, '/b keeps its agent hook')
  t.equal((await app.inject('/a/livechat/visitors.search?term=x')).statusCode, 401, '/a has none')
  t.equal((await app.inject('/c/livechat/visitor/shared-1')).json().visitor._id, created.json().visitor._id, '/c too')
})

t.test('a second registration with other service options needs its own decorator name', async t => {
  const app = Fastify()
  app.register(livechat, { prefix: '/a', db })
  app.register(livechat, { prefix: '/b', db, historyMonitorType: 'title' })
  await t.rejects(async () => app.ready(), { code: 'LIVECHAT_DECORATOR_TAKEN', message: /"livechat" is already taken/ })
  await app.close()
  const otherDb = Fastify()
  otherDb.register(livechat, { prefix: '/a', db })
  otherDb.register(livechat, { prefix: '/b', db: client.db(db.databaseName) })
  await t.rejects(async () => otherDb.ready(), { code: 'LIVECHAT_DECORATOR_TAKEN' }, 'another Db object is another service')
  await otherDb.close()
  const other = Fastify()
  other.decorate('livechat', 'something else' as never)
  other.register(livechat, { db })
  await t.rejects(async () => other.ready(), { code: 'LIVECHAT_DECORATOR_TAKEN' })
  await other.close()
})

t.test('custom collection names are used', async t => {
  const collections = { visitors: 'my_visitors', messages: 'my_messages', settings: 'my_settings' }
  const app = await livechatApp(t, db, { collections, decorator: 'custom' })
  await post(app, 'visitor', { visitor: { token: 'custom-1' } })
  await post(app, 'page.visited', { token: 'custom-1', pageInfo: { change: 'url', title: '', location: { href: 'http://a.example/' } } })
  t.equal(await db.collection('my_visitors').countDocuments({ token: 'custom-1' }), 1)
  t.equal(await db.collection('my_messages').countDocuments({ 'navigation.token': 'custom-1' }), 1)
  t.equal(await db.collection('my_settings').countDocuments({ _id: GUEST_COUNTER_ID as never }), 1)
  t.equal(DEFAULT_COLLECTIONS.visitors, 'rocketchat_livechat_visitor', 'the default names are Rocket.Chat\'s')
})

const NAVIGATION = 'livechat_navigation_history'
const visitPage = (app: Awaited<ReturnType<typeof livechatApp>>, token: string) =>
  post(app, 'page.visited', { token, pageInfo: pageInfo('http://a.example/') })

t.test('expired roomless history goes; history Rocket.Chat attached to a room never does, by any TTL index or by the plugin', async t => {
  const expiring = await emptyDatabaseBeside(db, 'expiry')
  const app = await livechatApp(t, expiring, { historyRetentionMs: 1, expiryCleanupIntervalMs: 2 ** 31 - 1 })
  const messages = expiring.collection(DEFAULT_COLLECTIONS.messages)
  for (const token of ['exp-roomless', 'exp-attached', 'exp-attached']) await visitPage(app, token)
  await setRoomIdByToken(messages, 'exp-attached', 'rc-room')
  const attached = await messages.find({ 'navigation.token': 'exp-attached' }).toArray()
  t.same(attached.map(entry => [entry.rid, typeof entry.expireAt]), [['rc-room', 'number'], ['rc-room', 'number']],
    'a number, as Rocket.Chat stores it: a TTL index removes only documents whose field is a Date')
  // Rocket.Chat's own roomless entry (Livechat.savePageHistory: expireAt = Date.now() + 30 days, rid null), long expired;
  // and the plugin's earlier versions' entries, which held a Date.
  await messages.insertMany([
    { _id: 'rc-roomless', t: NAVIGATION, rid: null, expireAt: Date.now() - 1000, navigation: { token: 'rc-token' } },
    { _id: 'legacy-roomless', t: NAVIGATION, expireAt: new Date(Date.now() - 1000), navigation: { token: 'old-token' } },
    { _id: 'legacy-attached', t: NAVIGATION, rid: 'rc-room', expireAt: new Date(Date.now() - 1000), navigation: { token: 'old-token' } },
    { _id: 'other-kind', t: 'uj', expireAt: Date.now() - 1000 }
  ] as never[])

  t.equal(await app.livechat.removeExpiredHistory(), 3, 'the roomless ones: the plugin\'s, Rocket.Chat\'s and a legacy one')
  t.same((await messages.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map(entry => entry._id).filter(id => !attached.some(a => a._id === id)),
    ['legacy-attached', 'other-kind'], 'a room\'s history stays whatever its expireAt, and other messages are not the timer\'s')
  t.equal(await messages.countDocuments({ 'navigation.token': 'exp-attached' }), 2)
  t.equal(await app.livechat.removeExpiredHistory(), 0)
})

t.test('the periodic task removes expired roomless history', async t => {
  const expiring = await emptyDatabaseBeside(db, 'expiry-timer')
  const app = await livechatApp(t, expiring, { historyRetentionMs: 1, expiryCleanupIntervalMs: 50 })
  await visitPage(app, 'exp-timer')
  await new Promise(resolve => setTimeout(resolve, 400))
  t.equal(await expiring.collection(DEFAULT_COLLECTIONS.messages).countDocuments({ 'navigation.token': 'exp-timer' }), 0)
})

t.test('the expireAt index has Rocket.Chat\'s TTL spec where the server makes TTL indexes, and is plain where it does not', async t => {
  const ttlDb = await emptyDatabaseBeside(db, 'ttl')
  const calls: unknown[] = []
  type CreateIndex = (key: unknown, options: Record<string, unknown>) => Promise<string>
  const recording = (acceptTtl: boolean) => withCollectionMethod(ttlDb, 'createIndex', original => async (key: unknown, options: Record<string, unknown>) => {
    if ((key as Record<string, unknown>).expireAt !== undefined) calls.push(options)
    const { expireAfterSeconds, ...plain } = options
    return (original as unknown as CreateIndex)(key, acceptTtl ? plain : options)
  })
  await livechatApp(t, recording(true), { decorator: 'acceptingTtl' })
  t.same(calls, [{ name: 'expireAt_1', expireAfterSeconds: 0 }], 'one call, as Rocket.Chat\'s Messages model declares it')
  calls.length = 0
  await ttlDb.collection(DEFAULT_COLLECTIONS.messages).dropIndex('expireAt_1')
  await livechatApp(t, recording(false), { decorator: 'asServerDoes' })
  if (calls.length === 2) t.same(calls[1], { name: 'expireAt_1' }, 'FerretDB refuses a TTL index: a plain one')
  else t.same(calls, [{ name: 'expireAt_1', expireAfterSeconds: 0 }], 'the server made the TTL index')
})

t.test('a failing expiry run is logged, not thrown', async t => {
  const warnings: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => warnings.push(line) } } })
  const deleteFailing = withCollectionMethod(db, 'deleteMany', () => async () => { throw new Error('delete failed') })
  await app.register(livechat, { db: deleteFailing, expiryCleanupIntervalMs: 20, decorator: 'failing', ensureIndexes: false })
  await app.ready()
  t.teardown(() => app.close())
  await new Promise(resolve => setTimeout(resolve, 150))
  t.match(warnings.join(''), 'removing expired navigation history failed')
})

t.test('a run of the periodic task still going makes the next ones skip, and its failure is logged', async t => {
  const warnings: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => warnings.push(line) } } })
  let pendingLookups = 0
  const hanging = withCollectionMethod(db, 'find', original => (...args: never[]) => {
    const [filter] = args as Array<Record<string, unknown>>
    if (!('erasureRequestedAt' in filter)) return original(...args)
    pendingLookups++
    return { toArray: neverAnswered }
  })
  await app.register(livechat, { db: hanging, expiryCleanupIntervalMs: 20, databaseTimeoutMs: 200, decorator: 'hanging' })
  await app.ready()
  t.teardown(() => app.close())
  await new Promise(resolve => setTimeout(resolve, 330))
  t.ok(pendingLookups >= 1 && pendingLookups <= 3, `one lookup at a time, each until its 200 ms deadline (${pendingLookups} in 330 ms, runs due every 20 ms)`)
  t.match(warnings.join(''), 'completing pending erasures failed')
})

t.test('the service API works without HTTP and checks its input', async t => {
  const app = await livechatApp(t, db, { decorator: 'api' })
  const service = (app as unknown as { api: typeof app.livechat }).api
  t.equal((await service.registerVisitor({ token: 'api-1', name: 'Api' })).created, true)
  const { visitor, created } = await service.registerVisitor({ token: 'api-1' })
  t.equal(created, false)
  t.same(await service.findVisitorByToken('api-1'), visitor)
  t.equal(await service.findVisitorByToken('bad token'), null)
  t.equal(await service.findVisitorByToken({ $ne: null } as never), null)
  await t.rejects(service.registerVisitor({ token: { $ne: null } } as never), { code: 'LIVECHAT_INVALID_PARAMS', message: /^token must be/ })
  const page = await service.recordPageVisit({ token: 'api-1', pageInfo: { change: 'url', title: 'T', location: { href: 'http://a.example/' } } })
  t.equal(page?.msg, 'T - http://a.example/')
  t.equal(await service.recordPageVisit({ token: 'api-1', pageInfo: { change: 'title', title: 'T', location: { href: 'http://a.example/' } } }), null)
  await t.rejects(service.recordPageVisit({ token: 'api-1' } as never), { code: 'LIVECHAT_INVALID_PARAMS', message: 'pageInfo: Expected required property' })
  await t.rejects(service.recordPageVisit(null as never), { code: 'LIVECHAT_INVALID_PARAMS', message: 'visit: Expected object' })
})

t.test('ids are 17 characters of the Meteor alphabet, and unique', async t => {
  const ids = Array.from({ length: 2000 }, newId)
  t.ok(ids.every(id => /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/.test(id)))
  t.equal(new Set(ids).size, ids.length)
  const seen = new Set(ids.join(''))
  t.equal(seen.size, 55, 'every character of the alphabet is drawn')
})
