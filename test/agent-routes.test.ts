import t from 'tap'
import Fastify from 'fastify'
import livechat, { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents, FORBIDDEN_ANSWER, UNAUTHENTICATED_ANSWER } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { agentGet, eraseVisitor, post } from './helpers/http.js'

const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { authorizeAgent: authorizeTestAgents, collectHttpHeaders: true })
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)

const unauthenticated = UNAUTHENTICATED_ANSWER
const forbidden = FORBIDDEN_ANSWER
const routes = ['visitor/tok/room', 'visitors.info?visitorId=abc', 'visitors.pagesVisited/room-1', 'visitors.search?term=a']

const register = async (visitor: Record<string, unknown>) => (await post(app, 'visitor', { visitor })).json().visitor

t.test('without a hook every agent route is a 401, before its input is even looked at', async t => {
  const hookless = await livechatApp(t, db, { decorator: 'hookless' })
  for (const route of [...routes, 'visitors.info', 'visitors.search?count=-1']) {
    const res = await agentGet(hookless, route, 'manager')
    t.same([res.statusCode, res.json()], [401, unauthenticated], route)
  }
})

t.test('the hook decides: no credentials 401, a missing permission 403, the right one passes', async t => {
  const passed = [200, 400, 400, 200]
  for (const [i, route] of routes.entries()) {
    t.same((await agentGet(app, route)).json(), unauthenticated, `${route} anonymous`)
    t.same((await agentGet(app, route, 'nobody')).json(), forbidden, `${route} nobody`)
    const res = await agentGet(app, route, 'manager')
    t.equal(res.statusCode, passed[i], `${route} manager`)
    t.notOk(['unauthorized', 'error-unauthorized'].includes(res.json().errorType), `${route} manager passes the gate`)
  }
  t.same((await agentGet(app, 'visitor/tok/room', 'agent')).json(), forbidden, 'the room list needs view-livechat-manager')
  for (const route of routes.slice(1)) {
    t.not((await agentGet(app, route, 'agent')).statusCode, 403, `${route} needs view-l-room only`)
  }
})

t.test('only "granted" opens the gate; a hook that fails is the host\'s 500, logged', async t => {
  const answers: unknown[] = [true, 'yes', undefined, null]
  const odd = await livechatApp(t, db, { decorator: 'odd', authorizeAgent: () => answers.shift() as never })
  for (let i = 0; i < 4; i++) t.equal((await agentGet(odd, 'visitor/tok/room')).statusCode, 403)

  const logged: string[] = []
  const failing = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } } })
  await failing.register(livechat, { db, prefix: '/api/v1', decorator: 'failing', authorizeAgent: async () => { throw new Error('auth backend down') } })
  t.teardown(() => failing.close())
  const res = await agentGet(failing, 'visitor/tok/room')
  t.same([res.statusCode, res.json()], [500, { success: false, error: 'Internal server error', errorType: 'internal-error' }])
  t.match(logged.join(''), 'auth backend down')
})

t.test('visitor/:token/room lists the open livechat rooms with Rocket.Chat\'s projection', async t => {
  await rooms.insertMany([
    {
      _id: 'room-open',
      t: 'l',
      open: true,
      name: 'Ana',
      cl: false,
      u: { _id: 'u1', username: 'agent.smith' },
      usernames: ['guest-1', 'agent.smith'],
      servedBy: { _id: 'u1', username: 'agent.smith', ts: new Date('2026-01-02T03:04:05.006Z') },
      v: { _id: 'v1', token: 'tok-rooms' },
      livechatData: { secret: 'x' },
      fname: 'Ana'
    },
    { _id: 'room-closed', t: 'l', open: false, v: { token: 'tok-rooms' } },
    { _id: 'room-direct', t: 'd', open: true, v: { token: 'tok-rooms' } }
  ] as never[])
  const res = await agentGet(app, 'visitor/tok-rooms/room', 'manager')
  t.same(res.json(), {
    rooms: [{
      _id: 'room-open',
      name: 'Ana',
      t: 'l',
      cl: false,
      u: { _id: 'u1', username: 'agent.smith' },
      usernames: ['guest-1', 'agent.smith'],
      servedBy: { _id: 'u1', username: 'agent.smith', ts: '2026-01-02T03:04:05.006Z' }
    }],
    success: true
  })
  t.same((await agentGet(app, 'visitor/unknown/room', 'manager')).json(), { rooms: [], success: true })
  await rooms.insertOne({ _id: 'room-legacy', t: 'l', open: true, u: { username: 'old' }, servedBy: { username: 'old' }, v: { token: 'tok-legacy' } } as never)
  t.same((await agentGet(app, 'visitor/tok-legacy/room', 'manager')).json().rooms,
    [{ _id: 'room-legacy', t: 'l', u: { username: 'old' }, servedBy: { username: 'old' } }], 'an old room without user ids is answered, not a 500')
  t.equal((await agentGet(app, 'visitor/bad%20token/room', 'manager')).json().errorType, 'invalid-params')
})

t.test('visitors.info answers the visitor with its stored headers and never its token', async t => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/livechat/visitor',
    headers: { 'user-agent': 'InfoBrowser/1.0' },
    payload: { visitor: { token: 'tok-info-secret', name: 'Info', email: 'info@example.com' } }
  })
  const { visitor } = res.json()
  const info = await agentGet(app, `visitors.info?visitorId=${visitor._id}`, 'agent')
  t.equal(info.statusCode, 200)
  const { token, ...withoutToken } = visitor
  t.match(info.json(), { visitor: { ...withoutToken, userAgent: 'InfoBrowser/1.0', ip: '127.0.0.1', host: 'localhost:80' }, success: true })
  t.notOk(info.body.includes('tok-info-secret'), 'the token appears nowhere in the answer')
  const found = await agentGet(app, 'visitors.search?term=info', 'agent')
  t.same(found.json().visitors, [{ _id: visitor._id, username: visitor.username, name: 'Info', visitorEmails: [{ address: 'info@example.com' }] }],
    'a search answers Rocket.Chat\'s fields only: no token, headers, status or dates')

  // Rocket.Chat's 09-visitors.ts e2e test asserts `res.body.error === 'visitor-not-found'`.
  const notFound = { success: false, error: 'visitor-not-found', errorType: 'visitor-not-found' }
  t.same((await agentGet(app, 'visitors.info?visitorId=nobody', 'agent')).json(), notFound)
  await eraseVisitor(app, 'tok-info-secret')
  t.same((await agentGet(app, `visitors.info?visitorId=${visitor._id}`, 'agent')).json(), notFound, 'an erased visitor is not found')
  for (const query of ['', '?visitorId=', '?visitorId=a.b', '?visitorId[$ne]=x']) {
    t.equal((await agentGet(app, `visitors.info${query}`, 'agent')).json().errorType, 'invalid-params', query)
  }
})

t.test('visitors.pagesVisited pages a room\'s history newest first or by sort, without the token, count capped at 100', async t => {
  await rooms.insertOne({ _id: 'room-pages', t: 'l', open: true, v: { token: 'tok-pages' } } as never)
  const start = Date.parse('2026-03-01T00:00:00.000Z')
  await messages.insertMany(Array.from({ length: 120 }, (_, i) => ({
    _id: `page-${String(i).padStart(3, '0')}`,
    t: 'livechat_navigation_history',
    rid: 'room-pages',
    ts: new Date(start + i * 1000),
    msg: `P${i} - https://shop.example/${i}`,
    u: { _id: 'rocket.cat', username: 'rocket.cat' },
    groupable: false,
    navigation: { page: { change: 'url', title: `P${i}`, location: { href: `https://shop.example/${i}` } }, token: 'tok-pages' },
    _hidden: true,
    _updatedAt: new Date(start + i * 1000)
  })) as never[])
  await messages.insertOne({ _id: 'chat-msg', rid: 'room-pages', msg: 'a chat message, not history', ts: new Date() } as never)
  await rooms.insertOne({ _id: 'room-old', t: 'l', open: false, u: { username: 'old.agent' }, v: { token: 'tok-old' } } as never)
  await messages.insertOne({ _id: 'old-entry', t: 'livechat_navigation_history', rid: 'room-old', ts: new Date(start), msg: 'old', navigation: { token: 'tok-old' } } as never)
  t.match((await agentGet(app, 'visitors.pagesVisited/room-old', 'agent')).json(),
    { pages: [{ _id: 'old-entry', msg: 'old', navigation: {} }], total: 1 }, 'an old entry without page or author is answered, not a 500')

  const first = (await agentGet(app, 'visitors.pagesVisited/room-pages?count=2', 'agent')).json()
  t.same(first, {
    pages: [119, 118].map(i => ({
      _id: `page-${i}`,
      t: 'livechat_navigation_history',
      rid: 'room-pages',
      ts: new Date(start + i * 1000).toISOString(),
      msg: `P${i} - https://shop.example/${i}`,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      groupable: false,
      navigation: { page: { change: 'url', title: `P${i}`, location: { href: `https://shop.example/${i}` } } },
      _hidden: true,
      _updatedAt: new Date(start + i * 1000).toISOString()
    })),
    count: 2,
    offset: 0,
    total: 120,
    success: true
  })
  const page = (await agentGet(app, 'visitors.pagesVisited/room-pages?count=5&offset=118', 'agent')).json()
  t.same([page.pages.map((p: { _id: string }) => p._id), page.count, page.offset, page.total], [['page-001', 'page-000'], 2, 118, 120])
  t.equal((await agentGet(app, 'visitors.pagesVisited/room-pages?count=1000', 'agent')).json().count, 100)
  t.equal((await agentGet(app, 'visitors.pagesVisited/room-pages', 'agent')).json().count, 50, 'the default count is 50')
  // getPaginationItems: a count of 0 is the default count (Rocket.Chat's answer unless API_Allow_Infinite_Count).
  t.equal((await agentGet(app, 'visitors.pagesVisited/room-pages?count=0', 'agent')).json().count, 50, 'count=0 is the default page')
  const idsOf = (answer: { pages: Array<{ _id: string }> }) => answer.pages.map(entry => entry._id)
  t.same(idsOf((await agentGet(app, `visitors.pagesVisited/room-pages?sort=${encodeURIComponent('{"ts":1}')}&count=2`, 'agent')).json()), ['page-000', 'page-001'], 'oldest first')
  t.same(idsOf((await agentGet(app, `visitors.pagesVisited/room-pages?sort=${encodeURIComponent('{ "ts" : -1 }')}&count=2&offset=1`, 'agent')).json()), ['page-118', 'page-117'])
  t.match((await agentGet(app, `visitors.pagesVisited/room-pages?offset=2147483647&count=${'9'.repeat(300)}`, 'agent')).json(),
    { pages: [], count: 0, offset: 2147483647, total: 120 }, 'the largest offset and a huge count are fine')

  // Rocket.Chat's findVisitedPages throws a plain Error('invalid-room'): the bare text.
  t.same((await agentGet(app, 'visitors.pagesVisited/no-such-room', 'agent')).json(),
    { success: false, error: 'invalid-room', errorType: 'invalid-room' })
  for (const query of [
    '?count=abc', '?offset=-1', '?count=1.5', '?offset=2147483648', '?count=1&count=2', '?other=1',
    `?sort=${encodeURIComponent('{"msg":1}')}`, `?sort=${encodeURIComponent('{"ts":1,"_id":1}')}`, `?sort=${encodeURIComponent('{"ts":0}')}`
  ]) {
    let errorType: string | undefined
    const commands = await commandsDuring(client, async () => { errorType = (await agentGet(app, `visitors.pagesVisited/room-pages${query}`, 'agent')).json().errorType })
    t.same([errorType, commands], ['invalid-params', []], query)
  }
  // Only decimal digits are numbers: TypeBox's conversion alone read these as 16, 10, 5, 5, 5, 1 and 2.
  for (const query of ['?offset=0x10', '?offset=1e1', '?offset=%205', '?offset=5%20', '?offset=+5', '?offset=05', '?count=1.0', '?count=0b10', '?offset=']) {
    const res = await agentGet(app, `visitors.pagesVisited/room-pages${query}`, 'agent')
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], query)
    t.match(res.json().error, /^(offset|count) must be /, `${query}: ${res.json().error}`)
  }
  t.equal((await agentGet(app, 'visitors.pagesVisited/room-pages?offset=0&count=7', 'agent')).json().count, 7, 'decimal digits are numbers')
})

t.test('visitors.search matches a case-insensitive prefix of name, username, email or phone, as plain text', async t => {
  const ids = {
    maria: (await register({ token: 'tok-s1', name: 'Maria Search', email: 'maria@example.com', phone: '+55 11 4000-1000' }))._id,
    mario: (await register({ token: 'tok-s2', name: 'mario search', username: 'mario-s' }))._id,
    pattern: (await register({ token: 'tok-s3', name: '^((ab)*)+$ literally' }))._id,
    dots: (await register({ token: 'tok-s4', name: '.* dots' }))._id
  }
  const search = async (term: string, query = '') => {
    const res = await agentGet(app, `visitors.search?term=${encodeURIComponent(term)}${query}`, 'manager')
    t.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const idsOf = (answer: { visitors: Array<{ _id: string }> }) => answer.visitors.map(v => v._id).sort()

  t.same(idsOf(await search('MARI')), [ids.maria, ids.mario].sort())
  t.same(idsOf(await search('maria@')), [ids.maria])
  t.same(idsOf(await search('+55 11')), [ids.maria])
  t.same(idsOf(await search('mario-')), [ids.mario])
  t.same(idsOf(await search('search')), [], 'a prefix, not a substring')
  t.same(idsOf(await search('^((ab)*)+$')), [ids.pattern], 'regular expression characters are plain text')
  t.same(idsOf(await search('.*')), [ids.dots])

  const paged = await search('mari', '&count=1&offset=1')
  t.same([paged.visitors.length, paged.count, paged.offset, paged.total], [1, 1, 1, 2])
  const answer = await search('mari')
  t.notOk(JSON.stringify(answer).includes('tok-s'), 'no token in the answer')

  await eraseVisitor(app, 'tok-s2')
  t.same(idsOf(await search('mari')), [ids.maria], 'erased visitors are not found')
  for (const query of ['', `?term=${'a'.repeat(257)}`, '?term=a%00b']) {
    t.equal((await agentGet(app, `visitors.search${query}`, 'manager')).json().errorType, 'invalid-params', query)
  }
})

t.test('the hook belongs to its registration: the same service under another prefix can have another one', async t => {
  const host = Fastify()
  await host.register(livechat, { db, prefix: '/api/v1', authorizeAgent: authorizeTestAgents })
  await host.register(livechat, { db, prefix: '/public' })
  await host.ready()
  t.teardown(() => host.close())
  t.equal((await agentGet(host, 'visitor/tok/room', 'manager')).statusCode, 200)
  t.equal((await host.inject({ url: '/public/livechat/visitor/tok/room', headers: { authorization: 'Bearer agent' } })).statusCode, 401)
})
