import t from 'tap'
import Fastify from 'fastify'
import { MongoClient } from 'mongodb'
import livechat, { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { livechatApp } from './helpers/app.js'
import { withCollectionMethod } from './helpers/faults.js'
import { testDatabase } from './helpers/database.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { bodyLimit: 1024 })
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)

const send = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': contentType }, payload })

t.test('unparsable, empty and prototype-poisoning bodies are a 400 invalid-json', async t => {
  for (const body of ['{"visitor": {"name": Livechat}}', '', '{"visitor":{"token":"p1","__proto__":{"x":1}}}',
    '{"visitor":{"token":"p2","constructor":{"prototype":{"x":1}}}}']) {
    const res = await send(body)
    t.same([res.statusCode, res.json()], [400, { success: false, error: 'The request body is not valid JSON', errorType: 'invalid-json' }], body)
  }
  t.equal(await visitors.countDocuments(), 0)
})

t.test('a body over the limit is a 413', async t => {
  const res = await send(JSON.stringify({ visitor: { token: 'big', name: 'x'.repeat(2000) } }))
  t.same([res.statusCode, res.json()], [413, { success: false, error: 'The request body is larger than 1024 bytes', errorType: 'body-too-large' }])
})

t.test('the default limit is 64 KiB', async t => {
  const { db: otherDb } = await testDatabase(t, 'errors-default-limit')
  const defaults = await livechatApp(t, otherDb)
  const payload = JSON.stringify({ visitor: { token: 'big' }, padding: 'x'.repeat(64 * 1024) })
  const res = await defaults.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload })
  t.equal(res.statusCode, 413)
  const fits = JSON.stringify({ visitor: { token: 'fits' }, padding: 'x'.repeat(60 * 1024) })
  t.equal((await defaults.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload: fits })).statusCode, 200)
})

t.test('a body that is not JSON is a 415, text/plain included', async t => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    const res = await send('visitor=x', type)
    t.same([res.statusCode, res.json()], [415, { success: false, error: 'The request body must be application/json', errorType: 'unsupported-media-type' }], type)
  }
  const charset = await send('{"visitor":{"token":"cs-1"}}', 'application/json; charset=utf-8')
  t.equal(charset.statusCode, 200)
})

t.test('another client error of the HTTP layer keeps its 4xx inside the envelope', async t => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/livechat/visitor',
    headers: { 'content-type': 'application/json', 'content-length': '100' },
    payload: '{"visitor":{"token":"cl-1"}}'
  })
  t.same([res.statusCode, res.json()], [400, { success: false, error: 'Request body size did not match Content-Length', errorType: 'bad-request' }])
  t.equal(await visitors.countDocuments({ token: 'cl-1' }), 0)
})

t.test('an unreachable database is a 503 with Retry-After, fast, without a stack trace', async t => {
  const client = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', { serverSelectionTimeoutMS: 300 })
  t.teardown(() => client.close())
  const down = Fastify()
  await down.register(livechat, { prefix: '/api/v1', db: client.db('down'), ensureIndexes: false })
  t.teardown(() => down.close())
  const started = Date.now()
  const res = await down.inject({ method: 'GET', url: '/api/v1/livechat/visitor/some-token' })
  t.ok(Date.now() - started < 2000, 'within the bound')
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '5')
  t.same(res.json(), { success: false, error: 'The database is unavailable, try again', errorType: 'database-unavailable' })
})

t.test('an unexpected failure is a 500 without details', async t => {
  const broken = await livechatApp(t, withCollectionMethod(db, 'findOne', () => async () => { throw new Error('secret internals') }), {
    decorator: 'broken', ensureIndexes: false
  })
  const res = await broken.inject({ method: 'GET', url: '/api/v1/livechat/visitor/some-token' })
  t.same([res.statusCode, res.json()], [500, { success: false, error: 'Internal server error', errorType: 'internal-error' }])
  t.notMatch(res.body, /secret|at /)
})

t.test('a database error while creating a visitor is a 500 and leaves nothing', async t => {
  const { db: failing } = await testDatabase(t, 'errors-insert')
  const app = await livechatApp(t, withCollectionMethod(failing, 'insertOne', () => async () => { throw new Error('disk full') }), { ensureIndexes: false })
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'full-1' } } })
  t.same([res.statusCode, res.json()], [500, { success: false, error: 'Internal server error', errorType: 'internal-error' }])
  t.equal(await failing.collection(DEFAULT_COLLECTIONS.visitors).countDocuments(), 0)
})

t.test('the envelope is the plugin\'s own: the host\'s routes keep their error format', async t => {
  const host = Fastify()
  host.post('/host/echo', { schema: { body: { type: 'object', required: ['a'] } } }, async request => request.body)
  await host.register(livechat, { prefix: '/api/v1', db })
  t.teardown(() => host.close())
  const hostAnswer = await host.inject({ method: 'POST', url: '/host/echo', payload: {} })
  t.equal(hostAnswer.statusCode, 400)
  t.match(hostAnswer.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION' })
  t.notOk('success' in hostAnswer.json())
  const text = await host.inject({ method: 'POST', url: '/host/echo', headers: { 'content-type': 'text/plain' }, payload: 'hi' })
  t.equal(text.statusCode, 400, 'the host still parses text/plain (its schema then refuses it)')
})

t.test('a replica set changing its primary or shutting down is a 503 too, by code or by label', async t => {
  const failures = [
    Object.assign(new Error('not primary'), { name: 'MongoServerError', code: 10107 }),
    Object.assign(new Error('primary stepped down'), { name: 'MongoServerError', code: 189 }),
    Object.assign(new Error('interrupted'), { name: 'MongoServerError', code: 1, hasErrorLabel: (label: string) => label === 'RetryableWriteError' }),
    // What FerretDB answers an operation it interrupts because it is stopping.
    Object.assign(new Error('[msg_find.go:120 handler.(*Handler).MsgFind] context canceled'), { name: 'MongoServerError', code: 1 }),
    Object.assign(new Error('[db.go:167 fsql.(*DB).InTransaction] sql: transaction has already been committed or rolled back'), { name: 'MongoServerError', code: 1 })
  ]
  for (const failure of failures) {
    const failing = withCollectionMethod(db, 'findOne', () => async () => { throw failure })
    const host = await livechatApp(t, failing, { decorator: `failover${failures.indexOf(failure)}`, ensureIndexes: false })
    const res = await host.inject({ method: 'GET', url: '/api/v1/livechat/visitor/some-token' })
    t.same([res.statusCode, res.json().errorType, res.headers['retry-after']], [503, 'database-unavailable', '5'], failure.message)
  }
})

t.test('regression: a socket error the driver passes on as it is is a 503, not a 500', async t => {
  // In a restart under load, a write to a connection the database had just ended answered 500.
  const failures = ['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED'].map(code =>
    Object.assign(new Error(code === 'EPIPE' ? 'This socket has been ended by the other party' : code), { code }))
  for (const failure of failures) {
    const failing = withCollectionMethod(db, 'findOneAndUpdate', () => async () => { throw failure })
    const host = await livechatApp(t, failing, { decorator: `socket${failures.indexOf(failure)}`, ensureIndexes: false })
    const res = await host.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'socket-token' } } })
    t.same([res.statusCode, res.json().errorType, res.headers['retry-after']], [503, 'database-unavailable', '5'], failure.code)
  }
})

t.test('another internal error of the server stays a 500', async t => {
  const failing = withCollectionMethod(db, 'findOne', () => async () => {
    throw Object.assign(new Error('something else broke'), { name: 'MongoServerError', code: 1 })
  })
  const host = await livechatApp(t, failing, { decorator: 'internal', ensureIndexes: false })
  t.equal((await host.inject({ method: 'GET', url: '/api/v1/livechat/visitor/some-token' })).statusCode, 500)
})

t.test('a 4xx that the host\'s own hook throws keeps its status, in the envelope', async t => {
  const host = Fastify()
  host.addHook('onRequest', async request => {
    if (request.headers['x-blocked'] !== undefined) throw Object.assign(new Error('Blocked by the host'), { statusCode: 403 })
  })
  await host.register(livechat, { prefix: '/api/v1', db, decorator: 'hooked', ensureIndexes: false })
  t.teardown(() => host.close())
  const res = await host.inject({ method: 'GET', url: '/api/v1/livechat/visitor/some-token', headers: { 'x-blocked': '1' } })
  t.same([res.statusCode, res.json()], [403, { success: false, error: 'Blocked by the host', errorType: 'bad-request' }])
})

t.test('GET routes answer no HEAD: no second budget for guessing tokens', async t => {
  for (const url of ['/api/v1/livechat/visitor/some-token', '/api/v1/livechat/visitors.search?term=a']) {
    t.equal((await app.inject({ method: 'HEAD', url })).statusCode, 404, url)
  }
})
