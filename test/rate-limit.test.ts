import t from 'tap'
import Fastify, { type FastifyServerOptions } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import type { Db } from 'mongodb'
import livechat, { DEFAULT_COLLECTIONS, type LivechatOptions } from '../lib/index.js'
import { testDatabase } from './helpers/database.js'
import { getVisitor, post } from './helpers/http.js'
import type { Teardown } from './helpers/teardown.js'

const { db } = await testDatabase(t, import.meta.filename)

/** A host that registers @fastify/rate-limit (as its docs say: before the plugin), then the plugin. */
async function limitedHost (t: Teardown, database: Db, options: Partial<LivechatOptions> = {}, server: FastifyServerOptions = {}) {
  const app = Fastify(server)
  await app.register(rateLimit, { global: false })
  await app.register(livechat, { prefix: '/api/v1', db: database, ...options })
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const tooMany = /^Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying this endpoint again\. \[error-too-many-requests\]$/

t.test('Rocket.Chat\'s defaults: 5 registrations per minute per IP, then a 429 in the envelope with Retry-After', async t => {
  const app = await limitedHost(t, db)
  for (let i = 1; i <= 5; i++) t.equal((await post(app, 'visitor', { visitor: { token: `rl-${i}` } })).statusCode, 200, `registration ${i}`)
  const limited = await post(app, 'visitor', { visitor: { token: 'rl-6' } })
  t.equal(limited.statusCode, 429)
  t.match(limited.json(), { success: false, error: tooMany, errorType: 'error-too-many-requests' })
  t.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60, `Retry-After ${limited.headers['retry-after']}`)
  t.equal(await db.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: 'rl-6' }), 0, 'the limited request wrote nothing')
  t.equal((await getVisitor(app, 'rl-1')).statusCode, 200, 'other routes count on their own')
})

/** One request to each token route, from the client at `ip`: the routes that tell a known token from an unknown one. */
const TOKEN_ROUTE_REQUESTS = [
  { method: 'GET', url: '/api/v1/livechat/visitor/rl-guess' },
  { method: 'DELETE', url: '/api/v1/livechat/visitor/rl-guess' },
  { method: 'POST', url: '/api/v1/livechat/visitor.status', payload: { token: 'rl-guess', status: 'away' } },
  { method: 'POST', url: '/api/v1/livechat/custom.field', payload: { token: 'rl-guess', key: 'address', value: 'x', overwrite: true } },
  { method: 'POST', url: '/api/v1/livechat/custom.fields', payload: { token: 'rl-guess', customFields: [{ key: 'address', value: 'x', overwrite: true }] } },
  { method: 'POST', url: '/api/v1/livechat/visitor.callStatus', payload: { token: 'rl-guess', callStatus: 'going', rid: 'r1', callId: 'c1' } },
  { method: 'GET', url: '/api/v1/livechat/visitor/rl-guess/export' }
] as const

function sendToTokenRoute (app: Awaited<ReturnType<typeof limitedHost>>, route: number, ip = '198.51.100.7') {
  return app.inject({ ...TOKEN_ROUTE_REQUESTS[route % TOKEN_ROUTE_REQUESTS.length], remoteAddress: ip })
}

t.test('the token routes share one budget per client: 10 guesses a minute across all seven, not 10 on each', async t => {
  const app = await limitedHost(t, db, { decorator: 'guesses' })
  const statuses = []
  for (let i = 0; i < 10; i++) statuses.push((await sendToTokenRoute(app, i)).statusCode)
  t.notOk(statuses.includes(429), `ten guesses spread over the seven routes are answered: ${statuses.join(' ')}`)
  for (let route = 0; route < TOKEN_ROUTE_REQUESTS.length; route++) {
    const limited = await sendToTokenRoute(app, route)
    t.equal(limited.statusCode, 429, `then ${TOKEN_ROUTE_REQUESTS[route].method} ${TOKEN_ROUTE_REQUESTS[route].url} is refused too`)
    t.match(limited.json(), { success: false, error: tooMany, errorType: 'error-too-many-requests' })
  }
  t.equal((await sendToTokenRoute(app, 0, '198.51.100.8')).statusCode, 400, 'another client has its own budget (and learns the token is unknown)')
  const registration = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', remoteAddress: '198.51.100.7', payload: { visitor: { token: 'rl-after' } } })
  t.equal(registration.statusCode, 200, 'registration keeps its own budget')
  const pageVisited = await app.inject({
    method: 'POST',
    url: '/api/v1/livechat/page.visited',
    remoteAddress: '198.51.100.7',
    payload: { token: 'rl-after', pageInfo: { change: 'url', title: 'T', location: { href: 'https://shop.example/' } } }
  })
  t.equal(pageVisited.statusCode, 200, 'and page.visited its own')
})

t.test('the token budget is an option, and a host\'s global limit does not count the token routes twice', async t => {
  const app = Fastify()
  await app.register(rateLimit, { global: true, max: 3, timeWindow: 60_000 })
  await app.register(livechat, { prefix: '/api/v1', db, decorator: 'global', rateLimit: { tokenRoutes: { max: 4, timeWindow: 60_000 } } })
  t.teardown(() => app.close())
  const statuses = []
  for (let i = 0; i < 5; i++) statuses.push((await sendToTokenRoute(app, i)).statusCode)
  t.same(statuses.map(status => status === 429), [false, false, false, false, true], 'the fifth guess is over the budget of 4, whatever the global 3')
})

t.test('limits are configurable and can be turned off', async t => {
  const strict = await limitedHost(t, db, { decorator: 'strict', rateLimit: { registration: { max: 1, timeWindow: 60_000 } } })
  t.same([(await post(strict, 'visitor', { visitor: { token: 'rl-s1' } })).statusCode, (await post(strict, 'visitor', { visitor: { token: 'rl-s2' } })).statusCode], [200, 429])
  const off = await limitedHost(t, db, { decorator: 'off', rateLimit: false })
  const statuses = []
  for (let i = 0; i < 12; i++) statuses.push((await getVisitor(off, 'rl-1')).statusCode)
  t.ok(statuses.every(status => status === 200), 'no limit at all')
})

t.test('without @fastify/rate-limit the declared limits do nothing, and the plugin says so once at start', async t => {
  const warnings: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => warnings.push(line) } } })
  await app.register(livechat, { prefix: '/api/v1', db, decorator: 'unlimited' })
  await app.ready()
  t.teardown(() => app.close())
  const statuses = []
  for (let i = 0; i < 12; i++) statuses.push((await post(app, 'visitor', { visitor: { token: 'rl-free' } })).statusCode)
  for (let i = 0; i < 12; i++) statuses.push((await getVisitor(app, 'rl-free')).statusCode)
  t.ok(statuses.every(status => status === 200))
  t.same(warnings.map(line => JSON.parse(line).msg),
    ['livechat: the routes declare rate limits, but no rate limiter is registered: register @fastify/rate-limit before the plugin'])

  const quiet: string[] = []
  const unlimited = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => quiet.push(line) } } })
  await unlimited.register(livechat, { prefix: '/api/v1', db, decorator: 'unlimited', rateLimit: false })
  await unlimited.ready()
  t.teardown(() => unlimited.close())
  t.same(quiet, [], 'with rateLimit: false nothing is declared, and nothing is said')
})

t.test('X-Forwarded-For names the client only when the host trusts its proxy', async t => {
  const send = (app: Awaited<ReturnType<typeof limitedHost>>, ip: string) =>
    app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'x-forwarded-for': ip }, payload: { visitor: { token: 'rl-xff' } } })
  const untrusting = await limitedHost(t, db, { decorator: 'untrusting', rateLimit: { registration: { max: 1, timeWindow: 60_000 } } })
  t.same([(await send(untrusting, '203.0.113.1')).statusCode, (await send(untrusting, '203.0.113.2')).statusCode], [200, 429],
    'a client cannot escape its limit by inventing X-Forwarded-For')
  const trusting = await limitedHost(t, db, { decorator: 'trusting', rateLimit: { registration: { max: 1, timeWindow: 60_000 } } }, { trustProxy: true })
  t.same([(await send(trusting, '203.0.113.1')).statusCode, (await send(trusting, '203.0.113.2')).statusCode], [200, 200],
    'behind a trusted proxy each forwarded client has its own limit')
})

t.test('refused agent requests count against the limit too, so a bearer token cannot be guessed without end', async t => {
  const app = await limitedHost(t, db, { decorator: 'guarded', authorizeAgent: () => 'unauthenticated' })
  const statuses = []
  for (let i = 0; i < 11; i++) statuses.push((await app.inject({ url: '/api/v1/livechat/visitors.search?term=a', headers: { authorization: `Bearer guess-${i}` } })).statusCode)
  t.same(statuses, [...Array(10).fill(401), 429])
})
