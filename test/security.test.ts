import t from 'tap'
import Fastify from 'fastify'
import cors from '@fastify/cors'
import livechat, { DEFAULT_COLLECTIONS, livechatFrameworkErrors, livechatNotFoundHandler, livechatRequestSerializer, type AuthorizeAgent } from '../lib/index.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { withCollectionMethod } from './helpers/faults.js'
import type { Teardown } from './helpers/teardown.js'
import { agentGet, eraseVisitor, getVisitor, post } from './helpers/http.js'

const { db, client } = await testDatabase(t, import.meta.filename)
const grantAll: AuthorizeAgent = () => 'granted'
// A long expiry interval: the timer's delete must not fall into a window where commands are watched.
const app = await livechatApp(t, db, { authorizeAgent: grantAll, expiryCleanupIntervalMs: 3_600_000 })
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
await db.collection(DEFAULT_COLLECTIONS.customFields).insertOne({ _id: 'address' as never, scope: 'visitor', visibility: 'visible' })
await db.collection(DEFAULT_COLLECTIONS.departments).insertOne({ _id: 'dep-1' as never, name: 'D'.repeat(64) })
await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: 'room-own', t: 'l', open: true, v: { token: 'owner' } } as never)
await post(app, 'visitor', { visitor: { token: 'owner' } })

const pageInfo = (href = 'https://shop.example/') => ({ change: 'url', title: 'T', location: { href } })
const NON_STRINGS: unknown[] = [{ $ne: null }, { $gt: '' }, ['owner'], 42, true, null]

/** A body with `value` at `path` (dot-separated) in place of the valid one. */
function replaced (body: Record<string, unknown>, path: string, value: unknown): unknown {
  const copy = structuredClone(body)
  const keys = path.split('.')
  const last = keys.pop() as string
  let target: Record<string, unknown> = copy
  for (const key of keys) target = target[key] as Record<string, unknown>
  target[last] = value
  return copy
}

const validBodies: Array<[string, Record<string, unknown>, string[]]> = [
  ['visitor', {
    visitor: { token: 'owner', name: 'N', email: 'n@example.com', phone: '1', department: 'dep-1', username: 'u', customFields: [{ key: 'address', value: 'x' }] }
  }, ['visitor', 'visitor.token', 'visitor.name', 'visitor.email', 'visitor.phone', 'visitor.department', 'visitor.username',
    'visitor.customFields', 'visitor.customFields.0', 'visitor.customFields.0.key', 'visitor.customFields.0.value']],
  ['page.visited', { token: 'owner', rid: 'room-own', pageInfo: pageInfo() },
    ['token', 'pageInfo', 'pageInfo.change', 'pageInfo.title', 'pageInfo.location', 'pageInfo.location.href']],
  ['visitor.status', { token: 'owner', status: 'away' }, ['token', 'status']],
  ['custom.field', { token: 'owner', key: 'address', value: 'x', overwrite: true }, ['token', 'key', 'value']],
  ['custom.fields', { token: 'owner', customFields: [{ key: 'address', value: 'x', overwrite: true }] },
    ['token', 'customFields', 'customFields.0', 'customFields.0.key', 'customFields.0.value']]
]

t.test('an object, array, number, boolean or null where a string belongs is a 400 that never reaches the database', async t => {
  for (const [route, body, paths] of validBodies) {
    t.equal((await post(app, route, body)).statusCode, 200, `${route}: the valid body passes`)
    for (const path of paths) {
      for (const value of NON_STRINGS) {
        const commands = await commandsDuring(client, async () => {
          const res = await post(app, route, replaced(body, path, value))
          t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], `${route} ${path}=${JSON.stringify(value)}`)
        })
        t.same(commands, [], `${route} ${path}=${JSON.stringify(value)} sent nothing`)
      }
    }
  }
  const rid = await commandsDuring(client, async () => {
    for (const value of NON_STRINGS.filter(v => v !== null)) {
      t.equal((await post(app, 'page.visited', { token: 'owner', rid: value, pageInfo: pageInfo() })).statusCode, 400)
    }
  })
  t.same(rid, [], 'rid: null means none, anything else but a string is refused')
})

t.test('path and query parameters that are not one plain string are a 400 before the database', async t => {
  const commands = await commandsDuring(client, async () => {
    for (const query of ['visitorId[$ne]=x', 'visitorId=a&visitorId=b', 'visitorId=%7B%22%24ne%22%3Anull%7D']) {
      t.equal((await agentGet(app, `visitors.info?${query}`, 'any')).json().errorType, 'invalid-params', query)
    }
    for (const query of ['term=a&term=b', 'term[$regex]=.*', 'term=a&count=1&count=2']) {
      t.equal((await agentGet(app, `visitors.search?${query}`, 'any')).json().errorType, 'invalid-params', query)
    }
    t.equal((await agentGet(app, 'visitors.pagesVisited/%7B%22%24ne%22%3Anull%7D', 'any')).json().errorType, 'invalid-params')
    t.equal((await eraseVisitor(app, '%7B%22%24ne%22%3Anull%7D')).json().errorType, 'invalid-token')
  })
  t.same(commands, [])
})

t.test('__proto__ and constructor keys anywhere are refused, and nothing reaches Object.prototype', async t => {
  const bodies = [
    '{"__proto__":{"polluted":1},"visitor":{"token":"pp-1"}}',
    '{"visitor":{"token":"pp-2","customFields":[{"key":"address","value":"x","__proto__":{"polluted":1}}]}}',
    '{"token":"pp-3","pageInfo":{"change":"url","title":"","location":{"href":"http://a.example/","__proto__":{"polluted":1}}}}',
    '{"visitor":{"token":"pp-4","constructor":{"prototype":{"polluted":1}}}}',
    `{"visitor":{"token":"pp-5","extra":${'['.repeat(1000)}{"__proto__":{"polluted":1}}${']'.repeat(1000)}}}`
  ]
  for (const payload of bodies) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload })
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-json'], payload.slice(0, 60))
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(await visitors.countDocuments({ token: /^pp-/ }), 0)
})

t.test('custom-field keys with ".", "$" or a prototype\'s name select nothing; with NUL or nothing, and too many fields, are a 400', async t => {
  for (const key of ['a.b', '$set', 'livechatData.x', '__proto__', 'constructor', 'prototype', 'constructor.prototype']) {
    const res = await post(app, 'visitor', { visitor: { token: 'owner', customFields: [{ key, value: 'x' }] } })
    t.equal(res.statusCode, 200, `${JSON.stringify(key)}: taken, as Rocket.Chat takes it, and ignored without a definition`)
  }
  for (const key of ['a\u0000b', '']) {
    const res = await post(app, 'visitor', { visitor: { token: 'owner', customFields: [{ key, value: 'x' }] } })
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], JSON.stringify(key))
  }
  t.equal(({} as Record<string, unknown>).x, undefined, 'no prototype took a value')
  const thousands = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, value: '' }))
  t.equal((await post(app, 'visitor', { visitor: { token: 'owner', customFields: thousands } })).statusCode, 400)
  const stored = await visitors.findOne({ token: 'owner' })
  t.same(Object.keys(stored?.livechatData ?? {}), ['address'], 'no odd field path was ever written')
})

t.test('deep nesting in ignored properties is harmless', async t => {
  const depth = 30_000
  const payload = `{"visitor":{"token":"deep-1","extra":${'['.repeat(depth)}${']'.repeat(depth)}}}`
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload })
  t.equal(res.statusCode, 200, res.body.slice(0, 200))
  t.notOk('extra' in (await visitors.findOne({ token: 'deep-1' }) ?? {}), 'unknown properties are never stored')
})

t.test('every string bound holds: at the bound accepted, one over a 400 invalid-params', async t => {
  const register = (visitor: Record<string, unknown>) => post(app, 'visitor', { visitor: { token: 'bounds', ...visitor } })
  const visit = (fields: Record<string, unknown>) => post(app, 'page.visited', { token: 'owner', pageInfo: { ...pageInfo(), ...fields } })
  const href = (length: number) => `https://a.example/${'p'.repeat(length - 'https://a.example/'.length)}`
  const cases: Array<[string, (size: number) => ReturnType<typeof post>, number]> = [
    ['token', size => post(app, 'visitor', { visitor: { token: 't'.repeat(size) } }), 100],
    ['name', size => register({ name: 'n'.repeat(size) }), 256],
    ['email', size => register({ email: `${'e'.repeat(size - 12)}@example.com` }), 254],
    ['phone', size => register({ phone: '5'.repeat(size) }), 40],
    ['department', size => register({ department: 'D'.repeat(size) }), 64],
    ['username', size => register({ username: 'u'.repeat(size) }), 64],
    ['customFields', size => register({ customFields: Array.from({ length: size }, () => ({ key: 'address', value: 'v' })) }), 50],
    ['custom field key', size => register({ customFields: [{ key: 'k'.repeat(size), value: 'v' }] }), 64],
    ['custom field value', size => register({ customFields: [{ key: 'address', value: 'v'.repeat(size) }] }), 1024],
    ['change', size => visit({ change: 'c'.repeat(size) }), 32],
    ['title', size => visit({ title: 't'.repeat(size) }), 512],
    ['href', size => visit({ location: { href: href(size) } }), 2048]
  ]
  for (const [field, send, bound] of cases) {
    t.equal((await send(bound)).statusCode, 200, `${field} at ${bound}`)
    t.same((await send(bound + 1)).json().errorType, 'invalid-params', `${field} at ${bound + 1}`)
  }
  const ridAt = await post(app, 'page.visited', { token: 'owner', rid: 'r'.repeat(64), pageInfo: pageInfo() })
  t.equal(ridAt.json().errorType, 'invalid-room', 'a 64-character rid is well-formed (and not this token\'s room)')
  const ridOver = await post(app, 'page.visited', { token: 'owner', rid: 'r'.repeat(65), pageInfo: pageInfo() })
  t.equal(ridOver.json().errorType, 'invalid-params')
})

const INVISIBLE_CHARACTERS = [
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u061c', '\u2028', '\u2029', '\ufeff', '\ufff9', '\ufffa', '\ufffb',
  '\u{e0000}', '\u{e0001}', '\u{e0041}', '\u{e007f}'
]

/** A test name for text that TAP could not print as it is (U+2028 ends a line there). */
function codePoints (text: string): string {
  return Array.from(text, character => `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`).join(' ')
}

t.test('control characters, lone surrogates, bidirectional and invisible characters are refused in text; real scripts are not', async t => {
  for (const bad of ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\ud800', 'a\udc00b', '\u202eevil', '\u2066x\u2069', 'line\nbreak', ...INVISIBLE_CHARACTERS]) {
    const res = await post(app, 'visitor', { visitor: { token: 'text-1', name: `x${bad}` } })
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], codePoints(bad))
    t.equal((await post(app, 'page.visited', { token: 'owner', pageInfo: { ...pageInfo(), title: bad } })).statusCode, 400, `title ${codePoints(bad)}`)
  }
  for (const good of ['محمد علي', 'José 😀', '山田 太郎', 'tab-free text', 'narrow\u202fno-break', '\u{dffff}\u{e0080}\u{10fffd} beside the tags', '🏴 flag']) {
    const res = await post(app, 'visitor', { visitor: { token: 'text-1', name: good } })
    t.same([res.statusCode, res.json().visitor?.name], [200, good], codePoints(good))
  }
})

t.test('hrefs: only absolute http(s) URLs without whitespace or control characters', async t => {
  for (const href of [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd',
    '//evil.example/', '/relative', 'https:///no-host', 'http:/one-slash', 'https://a.example/\r\nSet-Cookie: x=1',
    'https://a.example/\nx', 'https://a.example/ space', 'https://a.example/\ttab', 'https://a.example/\u202e'
  ]) {
    const res = await post(app, 'page.visited', { token: 'owner', pageInfo: pageInfo(href) })
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], JSON.stringify(href))
  }
  for (const href of ['http://a.example', 'HTTPS://A.EXAMPLE/x?q=<b>#y', 'https://[::1]:8080/p', 'https://例え.jp/パス']) {
    t.equal((await post(app, 'page.visited', { token: 'owner', pageInfo: pageInfo(href) })).statusCode, 200, href)
  }
})

t.test('stored text comes back as inert JSON, never as HTML', async t => {
  const name = '<script>alert("x")</script><img src=x onerror=alert(1)>'
  await post(app, 'visitor', { visitor: { token: 'html-1', name } })
  for (const res of [await getVisitor(app, 'html-1'), await getVisitor(app, 'nobody'), await post(app, 'visitor', {})]) {
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    t.equal(res.headers['x-content-type-options'], 'nosniff')
  }
  t.equal((await getVisitor(app, 'html-1')).json().visitor.name, name, 'the text is kept as it was sent, inside a JSON string')
})

t.test('page history can only be written to a room of the caller\'s own token', async t => {
  const res = await post(app, 'page.visited', { token: 'intruder', rid: 'room-own', pageInfo: pageInfo() })
  t.same([res.statusCode, res.json().errorType], [400, 'invalid-room'])
  t.equal(await db.collection(DEFAULT_COLLECTIONS.messages).countDocuments({ 'navigation.token': 'intruder' }), 0)
})

t.test('tokens never reach the request logs', async t => {
  const { host: logged, lines } = await loggedHost(t, db, 'logged')
  await post(logged, 'visitor', { visitor: { token: 'secret-token-1' } })
  await getVisitor(logged, 'secret-token-1')
  await agentGet(logged, 'visitor/secret-token-1/room', 'any')
  await eraseVisitor(logged, 'secret-token-1')
  await getVisitor(logged, 'secret-token-1?x=1')
  const text = lines.join('')
  t.notMatch(text, 'secret-token-1')
  t.match(text, '"url":"/api/v1/livechat/visitor/[redacted]"')
  t.match(text, '"url":"/api/v1/livechat/visitor/[redacted]/room"')
  t.match(text, '"url":"/api/v1/livechat/visitor/[redacted]?x=1"')
  t.match(text, '"url":"/api/v1/livechat/visitor"', 'other paths are logged as they are')
})

t.test('an unknown token and a malformed one get the very same answer', async t => {
  for (const method of ['GET', 'DELETE'] as const) {
    const unknown = await app.inject({ method, url: '/api/v1/livechat/visitor/never-seen' })
    const malformed = await app.inject({ method, url: '/api/v1/livechat/visitor/bad%20token' })
    t.same([malformed.statusCode, malformed.body, malformed.headers['content-length']],
      [unknown.statusCode, unknown.body, unknown.headers['content-length']], method)
  }
})

t.test('with livechatFrameworkErrors, paths the router cannot decode are answered in the envelope', async t => {
  const host = Fastify({ frameworkErrors: livechatFrameworkErrors })
  await host.register(livechat, { prefix: '/api/v1', db, decorator: 'framework', authorizeAgent: grantAll })
  t.teardown(() => host.close())
  const unknown = await getVisitor(host, 'never-seen')
  for (const token of ['%80', 'a%FFb', 't'.repeat(101)]) {
    const res = await getVisitor(host, token)
    t.same([res.statusCode, res.body], [unknown.statusCode, unknown.body], `${token.slice(0, 10)}: the same answer as an unknown token`)
  }
  const room = await agentGet(host, 'visitors.pagesVisited/%C0%AF', 'any')
  t.same([room.statusCode, room.json()], [400, { success: false, error: 'The URL is not valid', errorType: 'invalid-url' }])
  const plain = await getVisitor(app, '%80')
  t.same([plain.statusCode, plain.json().code], [400, 'FST_ERR_BAD_URL'], 'without it, Fastify answers in its own format')
})

t.test('a router failure other than a bad path is the host\'s 500, logged', async t => {
  const lines: string[] = []
  // An asynchronous constraint strategy (one that takes a callback) that fails, as a broken backend would.
  const failing = {
    name: 'failing',
    storage: () => ({ get: () => null, set: () => undefined }),
    deriveConstraint: (_request: unknown, _context: unknown, done: (error: Error) => void) => done(new Error('constraint backend down')),
    validate: () => undefined,
    mustMatchWhenDerived: true
  }
  const host = Fastify({
    logger: { level: 'error', stream: { write: (line: string) => lines.push(line) } },
    frameworkErrors: livechatFrameworkErrors,
    constraints: { failing } as never
  })
  host.get('/constrained', { constraints: { failing: 'x' } }, async () => 'never')
  t.teardown(() => host.close())
  const res = await host.inject('/constrained')
  t.same([res.statusCode, res.json()], [500, { success: false, error: 'Internal server error', errorType: 'internal-error' }])
  t.match(lines.join(''), 'the router failed')
})

t.test('with the plugin\'s serializer in the host\'s logger, no token reaches the logs from outside the plugin\'s routes either', async t => {
  const lines: string[] = []
  const host = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => lines.push(line) }, serializers: { req: livechatRequestSerializer } },
    frameworkErrors: livechatFrameworkErrors
  })
  await host.register(cors, { origin: '*' })
  await host.register(livechat, { prefix: '/api/v1', db, decorator: 'serialized' })
  t.teardown(() => host.close())
  await host.inject({ method: 'OPTIONS', url: '/api/v1/livechat/visitor/secret-token-2', headers: { origin: 'https://a.example', 'access-control-request-method': 'DELETE' } })
  await host.inject({ url: `/api/v1/livechat/visitor/secret-token-2${'x'.repeat(100)}` })
  await host.inject({ url: '/api/v1/livechat/visitor/secret-token-2%80' })
  const text = lines.join('')
  t.match(text, '"url":"/api/v1/livechat/visitor/[redacted]"')
  t.notMatch(text, 'secret-token-2')
})

/** Requests that reach no route of the plugin though they carry a token: each variant a client may send. */
const STRAY_TOKEN_REQUESTS = [
  { method: 'HEAD', url: '/api/v1/livechat/visitor/secret-token-3' },
  { method: 'GET', url: '/api/v1/livechat/visitor/secret-token-3/' },
  { method: 'PUT', url: '/api/v1/livechat/visitor/secret-token-3' },
  { method: 'PATCH', url: '/api/v1/livechat/visitor/secret-token-3?x=1' },
  { method: 'GET', url: '/API/V1/LIVECHAT/VISITOR/secret-token-3' },
  { method: 'GET', url: '/api/v1/livechat/Visitor/secret-token-3/room' },
  { method: 'GET', url: '/api/v1/livechat//visitor//secret-token-3' },
  { method: 'GET', url: '/api/v1/livechat/visitor%2Fsecret-token-3' },
  { method: 'GET', url: '/api/v1/livechat/config?token=secret-token-3' },
  { method: 'GET', url: '/api/v1/livechat/config?a=1&guestToken=secret-token-3&b=2' },
  { method: 'DELETE', url: '/api/v1/livechat/visitor/secret-token-3/' }
] as const

t.test('with the plugin\'s not-found handler and serializer, no stray path, method or letter case puts a token in the logs or the answer', async t => {
  const lines: string[] = []
  const host = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) }, serializers: { req: livechatRequestSerializer } } })
  host.setNotFoundHandler(livechatNotFoundHandler)
  await host.register(livechat, { prefix: '/api/v1', db, decorator: 'strays' })
  t.teardown(() => host.close())
  for (const request of STRAY_TOKEN_REQUESTS) {
    const res = await host.inject(request)
    t.equal(res.statusCode, 404, `${request.method} ${request.url}`)
    t.notMatch(res.body, 'secret-token-3', 'the answer does not repeat the URL')
  }
  const text = lines.join('')
  t.notMatch(text, 'secret-token-3')
  t.equal(lines.filter(line => JSON.parse(line).msg === 'route not found').length, STRAY_TOKEN_REQUESTS.length, 'each is logged')
  t.match(text, '"url":"/api/v1/livechat/visitor/[redacted]/"')
  t.match(text, '"url":"/api/v1/livechat/config?a=1&guestToken=[redacted]&b=2"', 'other parameters stay')
  t.equal((await host.inject('/api/v1/livechat/%76isitor/secret-token-3')).statusCode, 400, 'an encoded letter is decoded by the router: the plugin\'s route answers it')
  t.notMatch(lines.join(''), 'secret-token-3', 'and its log line is redacted too')
  t.same((await host.inject({ method: 'GET', url: '/nowhere' })).json(), { statusCode: 404, error: 'Not Found', message: 'No route has this method and path' })
})

/** A host whose log lines are kept, with the plugin under /api/v1 on `database`. */
async function loggedHost (t: Teardown, database: typeof db, decorator: string) {
  const lines: string[] = []
  const host = await livechatApp(t, database, { decorator, authorizeAgent: grantAll }, { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } })
  return { host, lines }
}

t.test('a database error naming a token is logged without it: no dup key value, no keyValue, no errInfo', async t => {
  await post(app, 'visitor', { visitor: { token: 'logged-visitor' } })
  const refusing = withCollectionMethod(db, 'findOneAndUpdate', () => async () => {
    throw Object.assign(new Error('E11000 duplicate key error collection: x index: livechat_unique_token dup key: { token: "secret-logged-token" }'), {
      name: 'MongoServerError', code: 11000, keyValue: { token: 'secret-logged-token' }, errInfo: { document: { token: 'secret-logged-token' } }
    })
  })
  const { host, lines } = await loggedHost(t, refusing, 'keyValues')
  const res = await post(host, 'visitor.status', { token: 'logged-visitor', status: 'away' })
  t.equal(res.statusCode, 500)
  const failed = lines.map(line => JSON.parse(line)).find(line => line.msg === 'livechat request failed')
  t.match(failed?.error, { type: 'MongoServerError', code: 11000, message: /dup key: \{ \[redacted\] \}$/, stack: /dup key: \{ \[redacted\] \}/ })
  t.notMatch(lines.join(''), 'secret-logged-token')
})

t.test('something thrown that is not an Error is logged as what it is', async t => {
  // What a broken driver or a host's wrapper might do.
  // eslint-disable-next-line prefer-promise-reject-errors
  const throwing = withCollectionMethod(db, 'findOneAndUpdate', () => async () => Promise.reject('socket gone'))
  const { host, lines } = await loggedHost(t, throwing, 'notAnError')
  t.equal((await post(host, 'visitor.status', { token: 'logged-visitor', status: 'away' })).statusCode, 500)
  t.match(lines.map(line => JSON.parse(line)).find(line => line.msg === 'livechat request failed')?.error, { type: 'string', message: 'socket gone' })
})

t.test('the agents\' search terms (a name, an e-mail address, a phone) are not logged', async t => {
  const { host, lines } = await loggedHost(t, db, 'searchTerms')
  const searches = [
    'visitors.search?term=ana.searched%40example.com&count=5',
    `visitors.autocomplete?selector=${encodeURIComponent(JSON.stringify({ term: 'ana.searched' }))}`,
    'visitors.searchChats/room/r1/visitor/v1?searchText=ana.searched'
  ]
  for (const search of searches) await agentGet(host, search, 'any')
  const urls = lines.map(line => JSON.parse(line)).filter(line => line.req !== undefined).map(line => line.req.url)
  t.same(urls, [
    '/api/v1/livechat/visitors.search?term=[redacted]&count=5',
    '/api/v1/livechat/visitors.autocomplete?selector=[redacted]',
    '/api/v1/livechat/visitors.searchChats/room/r1/visitor/[redacted]?searchText=[redacted]'
  ])
  t.notMatch(lines.join(''), 'ana.searched')
})
