import t from 'tap'
import fc from 'fast-check'
import Fastify, { type InjectOptions, type RouteOptions } from 'fastify'
import livechat, { DEFAULT_COLLECTIONS, livechatFrameworkErrors } from '../lib/index.js'
import { databaseContents, testDatabase } from './helpers/database.js'

// Property tests: arbitrary JSON bodies, path segments and query strings against
// every route. Whatever arrives, the answer is never a 500, its status is one the
// route documents, a failure is the plugin's envelope, and a 4xx wrote nothing.

const { db } = await testDatabase(t, import.meta.filename)
const routes: RouteOptions[] = []
// The host setup the README recommends: the router's own refusals in the plugin's envelope too.
const app = Fastify({ frameworkErrors: livechatFrameworkErrors })
app.addHook('onRoute', route => { routes.push(route) })
await app.register(livechat, { prefix: '/api/v1', db, authorizeAgent: () => 'granted' })
await app.ready()
t.teardown(() => app.close())

await db.collection(DEFAULT_COLLECTIONS.customFields).insertMany([
  { _id: 'address', scope: 'visitor', visibility: 'visible', regexp: '^[A-Za-z ]*$' },
  { _id: 'topic', scope: 'room', visibility: 'visible' }
] as never[])
await db.collection(DEFAULT_COLLECTIONS.departments).insertOne({ _id: 'dep-1' as never, name: 'Sales' })
await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: 'room-1', t: 'l', open: false, v: { token: 'tok-1' } } as never)
await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'tok-1', name: 'Known' } } })

const NUM_RUNS = 150

function documentedStatuses (method: string, url: string): number[] {
  const route = routes.find(r => r.method === method && r.url === url)
  return Object.keys((route?.schema as { response: object }).response).map(Number)
}

/** Sends the request and checks the invariants; answers whether they held. */
async function holdsInvariants (request: InjectOptions, routeUrl: string): Promise<boolean> {
  const before = await databaseContents(db)
  const res = await app.inject(request)
  const statuses = documentedStatuses(String(request.method), routeUrl)
  if (!statuses.includes(res.statusCode) || res.statusCode >= 500) {
    throw new Error(`${request.method} ${request.url}: status ${res.statusCode} ${res.body}`)
  }
  if (res.statusCode === 200) return true
  const body = res.json()
  const wellFormed = Object.keys(body).join() === 'success,error,errorType' &&
    body.success === false && typeof body.error === 'string' && typeof body.errorType === 'string'
  if (!wellFormed) throw new Error(`${request.method} ${request.url}: envelope ${res.body}`)
  if (await databaseContents(db) !== before) throw new Error(`${request.method} ${request.url}: a ${res.statusCode} wrote to the database`)
  return true
}

// Strings of any UTF-16 code units: controls, lone surrogates, bidi overrides, any script.
const anyText = fc.string({ unit: 'binary', maxLength: 40 })

/** A value that is sometimes right and often not: the valid ones reach deeper rules. */
function sometimes<T> (valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(valid, fc.jsonValue({ stringUnit: 'binary' }), anyText)
}

const token = sometimes(fc.constantFrom('tok-1', 'tok-2', 'tok-new', 'bad token', ''))
const customFields = sometimes(fc.array(fc.record({
  key: sometimes(fc.constantFrom('address', 'topic', 'unknown', 'a.b', '$x')),
  value: sometimes(fc.constantFrom('Rua A', 'x1', '')),
  overwrite: sometimes(fc.boolean())
}, { requiredKeys: [] }), { maxLength: 4 }))
const pageInfo = sometimes(fc.record({
  change: sometimes(fc.constantFrom('url', 'title')),
  title: sometimes(anyText),
  location: sometimes(fc.record({ href: sometimes(fc.constantFrom('https://a.example/', 'javascript:alert(1)', 'http://b.example/x?y#z')) }))
}, { requiredKeys: [] }))

const bodies: Array<[string, fc.Arbitrary<unknown>]> = [
  ['/api/v1/livechat/visitor', sometimes(fc.record({
    visitor: sometimes(fc.record({
      token,
      name: sometimes(anyText),
      email: sometimes(fc.constantFrom('a@example.com', 'not an email')),
      phone: sometimes(fc.constantFrom('+55 51 5555', 'abc')),
      department: sometimes(fc.constantFrom('dep-1', 'Sales', 'nope')),
      username: sometimes(fc.constantFrom('user.one', 'has space')),
      customFields
    }, { requiredKeys: [] }))
  }, { requiredKeys: [] }))],
  ['/api/v1/livechat/page.visited', sometimes(fc.record({ token, rid: sometimes(fc.constantFrom('room-1', 'nope', null)), pageInfo }, { requiredKeys: [] }))],
  ['/api/v1/livechat/visitor.status', sometimes(fc.record({ token, status: sometimes(fc.constantFrom('away', 'busy', 'gone')) }, { requiredKeys: [] }))],
  ['/api/v1/livechat/custom.field', sometimes(fc.record({
    token,
    key: sometimes(fc.constantFrom('address', 'topic', 'nope')),
    value: sometimes(fc.constantFrom('Street', '123', '')),
    overwrite: sometimes(fc.boolean())
  }, { requiredKeys: [] }))],
  ['/api/v1/livechat/custom.fields', sometimes(fc.record({ token, customFields }, { requiredKeys: [] }))],
  ['/api/v1/livechat/visitor.callStatus', sometimes(fc.record({
    token,
    callStatus: sometimes(fc.constantFrom('going', 'ended', 'declined')),
    rid: sometimes(fc.constantFrom('room-1', 'nope')),
    callId: sometimes(fc.constantFrom('call-1', 'nope'))
  }, { requiredKeys: [] }))],
  ['/api/v1/livechat/custom-fields.save', sometimes(fc.record({
    customFieldId: sometimes(fc.constantFrom(null, 'address', 'new-field')),
    customFieldData: sometimes(fc.record({
      field: sometimes(fc.constantFrom('new-field', 'address', 'a.b')),
      label: sometimes(anyText),
      scope: sometimes(fc.constantFrom('visitor', 'room')),
      visibility: sometimes(fc.constantFrom('visible', 'hidden')),
      regexp: sometimes(fc.constantFrom('^[A-Za-z ]*$', '(', '')),
      required: sometimes(fc.boolean())
    }, { requiredKeys: [] }))
  }, { requiredKeys: [] }))],
  ['/api/v1/livechat/custom-fields.delete', sometimes(fc.record({ customFieldId: sometimes(fc.constantFrom('new-field', 'nope')) }, { requiredKeys: [] }))]
]

for (const [url, body] of bodies) {
  t.test(`POST ${url}: any JSON body`, async t => {
    await fc.assert(fc.asyncProperty(body, async payload =>
      holdsInvariants({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) }, url)
    ), { numRuns: NUM_RUNS })
    t.pass()
  })
}

t.test('POST with any content type and any bytes', async t => {
  const contentType = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/json; charset=latin1', 'application/json', 'application/jsonx', '')
  await fc.assert(fc.asyncProperty(contentType, fc.string({ unit: 'binary', maxLength: 200 }), async (type, payload) =>
    holdsInvariants({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': type }, payload }, '/api/v1/livechat/visitor')
  ), { numRuns: NUM_RUNS })
  t.pass()
})

/**
 * A path segment: any bytes, percent-encoded, so that invalid UTF-8 and encoded
 * slashes are tried too. Not "." or ".." (even encoded): URL parsing resolves
 * those, in browsers as in inject, so they name another path, not this route.
 */
const segment = fc.oneof(
  fc.constantFrom('tok-1', 'room-1', '%24ne', '%7B%7D', '%2F', '%'),
  fc.uint8Array({ minLength: 1, maxLength: 70 }).map(bytes => Array.from(bytes, b => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 70 }).map(s => encodeURIComponent(s))
).filter(s => !/^(?:\.|%2e){1,2}$/i.test(s))
const queryValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }).map(s => encodeURIComponent(s)),
  fc.constantFrom('1', '-1', '1.5', '1e999', '%zz', '', '%E2%80%AE', '%00')
)

/** A query value that is JSON, often of the shapes the routes take. */
const jsonQueryValue = fc.oneof(
  fc.jsonValue({ stringUnit: 'binary' }),
  fc.record({ term: sometimes(anyText), exceptions: sometimes(fc.array(anyText, { maxLength: 3 })), conditions: sometimes(fc.object()) }, { requiredKeys: [] })
).map(value => encodeURIComponent(JSON.stringify(value) ?? ''))
const sortValue = fc.oneof(queryValue, jsonQueryValue, fc.constantFrom('{"ts":-1}', '{"label":1}', '{"lastChat.ts":1}', '{"$where":1}').map(encodeURIComponent))

const paths: Array<[string, string, fc.Arbitrary<string>]> = [
  ['GET', '/api/v1/livechat/visitor/:token', segment.map(s => `/api/v1/livechat/visitor/${s}`)],
  ['DELETE', '/api/v1/livechat/visitor/:token', segment.map(s => `/api/v1/livechat/visitor/${s}`)],
  ['GET', '/api/v1/livechat/visitor/:token/export', segment.map(s => `/api/v1/livechat/visitor/${s}/export`)],
  ['GET', '/api/v1/livechat/visitor/:token/room', segment.map(s => `/api/v1/livechat/visitor/${s}/room`)],
  ['GET', '/api/v1/livechat/visitors.pagesVisited/:roomId',
    fc.tuple(segment, queryValue, queryValue, sortValue).map(([s, count, offset, sort]) => `/api/v1/livechat/visitors.pagesVisited/${s}?count=${count}&offset=${offset}&sort=${sort}`)],
  ['GET', '/api/v1/livechat/visitors.info', queryValue.map(id => `/api/v1/livechat/visitors.info?visitorId=${id}`)],
  ['GET', '/api/v1/livechat/visitors.search',
    fc.tuple(queryValue, queryValue, queryValue, sortValue).map(([term, count, offset, sort]) => `/api/v1/livechat/visitors.search?term=${term}&count=${count}&offset=${offset}&sort=${sort}`)],
  ['GET', '/api/v1/livechat/visitors.autocomplete', fc.oneof(queryValue, jsonQueryValue).map(selector => `/api/v1/livechat/visitors.autocomplete?selector=${selector}`)],
  ['GET', '/api/v1/livechat/visitors.chatHistory/room/:roomId/visitor/:visitorId',
    fc.tuple(segment, segment, queryValue, sortValue).map(([room, visitor, count, sort]) => `/api/v1/livechat/visitors.chatHistory/room/${room}/visitor/${visitor}?count=${count}&sort=${sort}`)],
  ['GET', '/api/v1/livechat/visitors.searchChats/room/:roomId/visitor/:visitorId',
    fc.tuple(segment, segment, queryValue, queryValue, queryValue).map(([room, visitor, text, closed, source]) =>
      `/api/v1/livechat/visitors.searchChats/room/${room}/visitor/${visitor}?searchText=${text}&closedChatsOnly=${closed}&source=${source}`)],
  ['GET', '/api/v1/livechat/custom-fields',
    fc.tuple(queryValue, queryValue, sortValue).map(([text, offset, sort]) => `/api/v1/livechat/custom-fields?text=${text}&offset=${offset}&sort=${sort}`)],
  ['GET', '/api/v1/livechat/custom-fields/:_id', segment.map(s => `/api/v1/livechat/custom-fields/${s}`)]
]

for (const [method, routeUrl, urls] of paths) {
  t.test(`${method} ${routeUrl}: any path segment and query`, async t => {
    await fc.assert(fc.asyncProperty(urls, async url => holdsInvariants({ method: method as 'GET', url }, routeUrl)), { numRuns: NUM_RUNS })
    t.pass()
  })
}

t.test('the properties covered every route', async t => {
  const tested = new Set([...bodies.map(([url]) => `POST ${url}`), ...paths.map(([method, url]) => `${method} ${url}`)])
  t.same(routes.filter(r => r.method !== 'HEAD').map(r => `${r.method} ${r.url}`).sort(), [...tested].sort())
})
