import t from 'tap'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents, FORBIDDEN_ANSWER, UNAUTHENTICATED_ANSWER } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { agentGet, post } from './helpers/http.js'

// visitors.autocomplete, visitors.chatHistory and visitors.searchChats, over rooms and messages as
// Rocket.Chat writes them (LivechatRooms: t "l", v {_id, username, token}, servedBy, closedAt,
// source; Messages: rid, msg, and the room's closing message of t "livechat-close").
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { authorizeAgent: authorizeTestAgents })
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)

const register = async (token: string, name: string) => (await post(app, 'visitor', { visitor: { token, name } })).json().visitor as { _id: string, username: string }
const ana = await register('tok-ana', 'Ana Souza')
const anabel = await register('tok-anabel', 'anabel (dev)')
const bruno = await register('tok-bruno', 'Bruno')
const erased = await register('tok-erased', 'Ana Erased')
await visitors.updateOne({ _id: erased._id as never }, { $set: { disabled: true }, $unset: { token: 1, name: 1 } })
await visitors.updateOne({ _id: erased._id as never }, { $set: { name: 'Ana Erased' } })

const day = (n: number) => new Date(Date.UTC(2026, 0, n))
const anaRef = { _id: ana._id, username: ana.username, token: 'tok-ana', status: 'online' }
await rooms.insertMany([
  { _id: 'r-1', t: 'l', fname: 'Ana Souza', ts: day(1), open: false, closedAt: day(1), closer: 'user', closedBy: { _id: 'ag1', username: 'agent.one' }, servedBy: { _id: 'ag1', username: 'agent.one', ts: day(1) }, v: anaRef, msgs: 3, source: { type: 'widget' }, tags: ['billing'] },
  { _id: 'r-2', t: 'l', fname: 'Ana Souza', ts: day(2), open: false, closedAt: day(2), closer: 'visitor', v: anaRef, msgs: 1, source: { type: 'api', alias: 'crm-bridge' } },
  { _id: 'r-3', t: 'l', fname: 'Ana Souza', ts: day(3), open: true, servedBy: { _id: 'ag2', username: 'agent.two', ts: day(3) }, v: anaRef, msgs: 2, source: { type: 'widget' } },
  { _id: 'r-other', t: 'l', fname: 'Bruno', ts: day(4), open: true, v: { _id: bruno._id, username: bruno.username, token: 'tok-bruno' } },
  { _id: 'r-direct', t: 'd', ts: day(5), v: anaRef }
] as never[])
await messages.insertMany([
  { _id: 'm-1', rid: 'r-1', msg: 'My invoice is wrong', ts: day(1), u: { _id: ana._id, username: ana.username } },
  { _id: 'm-2', rid: 'r-1', msg: 'Closed by agent', t: 'livechat-close', ts: day(1), u: { _id: 'ag1', username: 'agent.one' } },
  { _id: 'm-3', rid: 'r-2', msg: 'Where is my order (a+)+?', ts: day(2), u: { _id: ana._id, username: ana.username } },
  { _id: 'm-4', rid: 'r-3', msg: 'The invoice again', ts: day(3), u: { _id: ana._id, username: ana.username } },
  { _id: 'm-5', rid: 'r-other', msg: 'invoice of Bruno', ts: day(4), u: { _id: bruno._id, username: bruno.username } }
] as never[])

const get = async (path: string, bearer = 'agent') => {
  const res = await agentGet(app, path, bearer)
  return { status: res.statusCode, body: res.json() }
}
const selector = (value: unknown) => `visitors.autocomplete?selector=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`
const idsOf = (items: Array<{ _id: string }>) => items.map(item => item._id)

t.test('visitors.autocomplete: up to 10 enabled visitors whose name starts with the term, any letter case, by name', async t => {
  const { status, body } = await get(selector({ term: 'ana' }))
  t.equal(status, 200)
  t.same(body, {
    items: [
      { _id: ana._id, name: 'Ana Souza', username: ana.username, custom_name: `${ana.username} - Ana Souza` },
      { _id: anabel._id, name: 'anabel (dev)', username: anabel.username, custom_name: `${anabel.username} - anabel (dev)` }
    ],
    success: true
  }, 'the erased visitor is left out, and no token is answered')
  t.same(idsOf((await get(selector({ term: 'ANA', exceptions: [ana._id] }))).body.items), [anabel._id], 'exceptions are left out')
  t.same(idsOf((await get(selector({ term: '  ana ' }))).body.items), [ana._id, anabel._id], 'the term is trimmed, as in Rocket.Chat')
  t.same(idsOf((await get(selector({ term: 'anabel (' }))).body.items), [anabel._id], 'the term is literal')
  t.same((await get(selector({ term: '.*' }))).body.items, [])
  t.same((await get(selector({ term: 'ana', conditions: {} }))).body.items.length, 2, 'empty conditions are accepted')
  await visitors.insertMany([{ _id: 'raw-visitor', name: 'Zed Raw', ts: day(1) }, { _id: 'raw-null', name: 'Zed Null', username: null, ts: day(1) }] as never[])
  t.same((await get(selector({ term: 'zed' }))).body.items, [
    { _id: 'raw-null', name: 'Zed Null', username: null, custom_name: null },
    { _id: 'raw-visitor', name: 'Zed Raw', custom_name: null }
  ], 'a visitor without a username has no custom_name, as Rocket.Chat\'s $concat gives')
  for (let i = 0; i < 12; i++) await register(`tok-many-${i}`, `Many ${String(i).padStart(2, '0')}`)
  t.same((await get(selector({ term: 'many' }))).body.items.map((item: { name: string }) => item.name),
    Array.from({ length: 10 }, (_, i) => `Many ${String(i).padStart(2, '0')}`), 'at most 10, by name')
})

t.test('visitors.autocomplete refuses what is not a plain selector, and sends nothing to the database', async t => {
  const refused: Array<[string, string, RegExp]> = [
    ['no selector', 'visitors.autocomplete', /^selector must be/],
    ['invalid JSON', selector('{"term": "a"'), /^selector must be JSON/],
    ['a JSON string', selector('"ana"'), /^selector/],
    ['an operator as term', selector({ term: { $regex: '.*' } }), /^selector\.term must be/],
    ['an operator as an exception', selector({ term: 'a', exceptions: [{ $ne: null }] }), /^selector\.exceptions\.0 must be/],
    ['conditions', selector({ term: 'a', conditions: { disabled: true } }), /^selector\.conditions/],
    ['101 exceptions', selector({ term: 'a', exceptions: Array.from({ length: 101 }, (_, i) => `id${i}`) }), /^selector\.exceptions/],
    ['a huge selector', selector({ term: 'a', pad: 'x'.repeat(5000) }), /^selector must be/]
  ]
  for (const [name, path, error] of refused) {
    let answer: { status: number, body: { error: string, errorType: string } } | undefined
    const commands = await commandsDuring(client, async () => { answer = await get(path) })
    t.same([answer?.status, answer?.body.errorType], [400, 'invalid-params'], name)
    t.match(answer?.body.error, error, `${name}: ${answer?.body.error}`)
    t.same(commands, [], `${name}: no command`)
  }
})

t.test('visitors.chatHistory: the visitor\'s livechat rooms, open and closed, newest first, paged, without the token', async t => {
  const { status, body } = await get(`visitors.chatHistory/room/r-3/visitor/${ana._id}`)
  t.equal(status, 200)
  t.same(idsOf(body.history), ['r-3', 'r-2', 'r-1'])
  t.match(body, { count: 3, offset: 0, total: 3, success: true })
  t.same(body.history[2], {
    _id: 'r-1',
    fname: 'Ana Souza',
    t: 'l',
    ts: day(1).toISOString(),
    open: false,
    closedAt: day(1).toISOString(),
    closer: 'user',
    closedBy: { _id: 'ag1', username: 'agent.one' },
    servedBy: { _id: 'ag1', username: 'agent.one', ts: day(1).toISOString() },
    v: { _id: ana._id, username: ana.username, status: 'online' },
    msgs: 3,
    tags: ['billing'],
    source: { type: 'widget' }
  })
  t.notMatch(JSON.stringify(body), 'tok-ana', 'the visitor\'s token is never answered')
  t.match((await get(`visitors.chatHistory/room/r-3/visitor/${ana._id}?count=1&offset=1`)).body, { history: [{ _id: 'r-2' }], count: 1, offset: 1, total: 3 })
  t.same(idsOf((await get(`visitors.chatHistory/room/r-3/visitor/${ana._id}?sort=${encodeURIComponent('{"ts":1}')}`)).body.history), ['r-1', 'r-2', 'r-3'])
  t.same(idsOf((await get(`visitors.chatHistory/room/r-other/visitor/${ana._id}`)).body.history), ['r-3', 'r-2', 'r-1'],
    'the room in the path only has to exist, as in Rocket.Chat')
  t.same((await get('visitors.chatHistory/room/r-3/visitor/nobody')).body, { history: [], count: 0, offset: 0, total: 0, success: true })
})

const INVALID_ROOM = { success: false, error: 'invalid-room', errorType: 'invalid-room' }

t.test('chatHistory and searchChats: a room that does not exist (or is not livechat) is Rocket.Chat\'s bare invalid-room', async t => {
  for (const route of ['chatHistory', 'searchChats']) {
    for (const room of ['no-such-room', 'r-direct']) t.same((await get(`visitors.${route}/room/${room}/visitor/${ana._id}`)).body, INVALID_ROOM, `${route} ${room}`)
  }
})

t.test('visitors.searchChats: rooms with a message holding the text (literal, letter case as written), filters, closing message', async t => {
  const search = async (query: string) => (await get(`visitors.searchChats/room/r-3/visitor/${ana._id}?${query}`)).body
  const all = await search('')
  t.same(idsOf(all.history), ['r-3', 'r-2', 'r-1'])
  t.match(all.history[2], { _id: 'r-1', closingMessage: { _id: 'm-2', msg: 'Closed by agent', ts: day(1).toISOString(), u: { username: 'agent.one' } } })
  t.notOk('closingMessage' in all.history[0], 'an open room has none')
  t.same(idsOf((await search('searchText=invoice')).history), ['r-3', 'r-1'])
  t.match(await search('searchText=invoice'), { count: 2, offset: 0, total: 2, success: true })
  t.same(idsOf((await search('searchText=Invoice')).history), [], 'letter case as written, as in Rocket.Chat')
  t.same(idsOf((await search(`searchText=${encodeURIComponent('(a+)+?')}`)).history), ['r-2'], 'the text is literal, never a pattern')
  t.same(idsOf((await search(`searchText=${encodeURIComponent('.*')}`)).history), [])
  t.same(idsOf((await search('closedChatsOnly=true')).history), ['r-2', 'r-1'])
  t.same(idsOf((await search('closedChatsOnly=false')).history), ['r-3', 'r-2', 'r-1'], 'false filters nothing')
  t.same(idsOf((await search('servedChatsOnly=true')).history), ['r-3', 'r-1'])
  t.same(idsOf((await search('servedChatsOnly=false')).history), ['r-3', 'r-2', 'r-1'], 'false filters nothing')
  t.same(idsOf((await search('source=API')).history), ['r-2'], 'the source\'s type, any letter case')
  t.same(idsOf((await search('source=crm')).history), ['r-2'], 'or its alias')
  t.same(idsOf((await search('searchText=invoice&closedChatsOnly=true&servedChatsOnly=true&source=widget')).history), ['r-1'])
  t.same(idsOf((await search(`searchText=invoice&sort=${encodeURIComponent('{"ts":1}')}&count=1`)).history), ['r-1'])
  t.same((await search('searchText=invoice&offset=5')).history, [])
})

t.test('the chat routes refuse hostile input with a 400 and no command', async t => {
  const base = `visitors.searchChats/room/r-3/visitor/${ana._id}`
  for (const path of [
    `${base}?closedChatsOnly=yes`, `${base}?searchText[$ne]=x`, `${base}?other=1`, 'visitors.chatHistory/room/r-3/visitor/x?count[$gt]=1', `${base}?searchText=${'x'.repeat(257)}`, `${base}?searchText=a%00b`,
    `${base}?sort=${encodeURIComponent('{"msgs":1}')}`, `${base}?sort=${encodeURIComponent('{"ts":1,"fname":1}')}`, `${base}?count=1e1`,
    'visitors.searchChats/room/r$3/visitor/x', `visitors.chatHistory/room/r-3/visitor/${'v'.repeat(65)}`
  ]) {
    let status: number | undefined
    const commands = await commandsDuring(client, async () => { status = (await get(path)).status })
    t.same([status, commands], [400, []], path)
  }
})

t.test('the three routes need view-l-room, and the hook answers before the input is looked at', async t => {
  for (const path of [selector({ term: 'a' }), `visitors.chatHistory/room/r-3/visitor/${ana._id}`, `visitors.searchChats/room/r-3/visitor/${ana._id}`, 'visitors.autocomplete']) {
    t.same((await agentGet(app, path)).json(), UNAUTHENTICATED_ANSWER, path)
  }
  const denied = await livechatApp(t, db, { decorator: 'denied', authorizeAgent: () => 'denied' })
  t.same((await denied.inject(`/api/v1/livechat/${selector({ term: 'a' })}`)).json(), FORBIDDEN_ANSWER)
})

t.test('paging bounds: a count over 100 answers at most 100, an offset past 2147483647 is a 400', async t => {
  for (const route of [`visitors.chatHistory/room/r-3/visitor/${ana._id}`, `visitors.searchChats/room/r-3/visitor/${ana._id}`]) {
    t.match((await get(`${route}?count=1000`)).body, { count: 3, total: 3, success: true }, `${route} count=1000`)
    t.match((await get(`${route}?offset=2147483647`)).body, { history: [], count: 0, offset: 2147483647, total: 3 })
    t.match((await get(`${route}?count=0`)).body, { count: 3, total: 3, success: true }, `${route} count=0 is the default page`)
    for (const query of ['?offset=2147483648', '?count=-1', `?sort=${'x'.repeat(5000)}`, `?sort=${encodeURIComponent('{"ts":1}'.padEnd(101, ' '))}`]) {
      t.equal((await get(`${route}${query}`)).status, 400, `${route}${query.slice(0, 40)}`)
    }
  }
  t.same(idsOf((await get(`visitors.searchChats/room/r-3/visitor/${ana._id}?source=${encodeURIComponent('.*')}`)).body.history), [], 'a source is literal too')
})

t.test('the host\'s hook sees the room and visitor in request.params, so it can keep an agent to its own rooms', async t => {
  const ownRoomsOnly = await livechatApp(t, db, {
    decorator: 'own-rooms',
    authorizeAgent: request => (request.params as { roomId?: string }).roomId === 'r-3' ? 'granted' : 'denied'
  })
  t.equal((await ownRoomsOnly.inject(`/api/v1/livechat/visitors.chatHistory/room/r-3/visitor/${ana._id}`)).statusCode, 200)
  t.same((await ownRoomsOnly.inject(`/api/v1/livechat/visitors.searchChats/room/r-other/visitor/${ana._id}`)).json(), FORBIDDEN_ANSWER)
})

t.test('searchChats looks into the visitor\'s newest 1000 rooms: a text only in older ones is not found', async t => {
  const many = await register('tok-many-rooms', 'Many Rooms')
  await rooms.insertMany(Array.from({ length: 1001 }, (_, i) => ({
    _id: `mr-${String(i).padStart(4, '0')}`, t: 'l', ts: new Date(Date.UTC(2025, 0, 1) + i * 60_000), v: { _id: many._id, token: 'tok-many-rooms' }
  })) as never[])
  await messages.insertMany([
    { _id: 'mr-old', rid: 'mr-0000', msg: 'needle in the oldest room' },
    { _id: 'mr-new', rid: 'mr-1000', msg: 'needle in the newest room' }
  ] as never[])
  const found = (await get(`visitors.searchChats/room/r-3/visitor/${many._id}?searchText=needle`)).body
  t.same([idsOf(found.history), found.total], [['mr-1000'], 1])
  t.equal((await get(`visitors.chatHistory/room/r-3/visitor/${many._id}?count=1`)).body.total, 1001, 'the history itself has no such bound')
})

t.test('with a hook that denies, every one of these routes is a 403 and reads nothing', async t => {
  const denied = await livechatApp(t, db, { decorator: 'denying', authorizeAgent: () => 'denied' })
  for (const path of [
    selector({ term: 'a' }), `visitors.chatHistory/room/r-3/visitor/${ana._id}`, `visitors.searchChats/room/r-3/visitor/${ana._id}?searchText=a`,
    'custom-fields', 'custom-fields/address'
  ]) {
    let answer: unknown
    const commands = await commandsDuring(client, async () => { answer = (await denied.inject(`/api/v1/livechat/${path}`)).json() })
    t.same([answer, commands], [FORBIDDEN_ANSWER, []], path)
  }
})

t.test('the service has the same functions, checking its arguments', async t => {
  const service = app.livechat
  t.same(idsOf(await service.autocompleteVisitors({ term: 'bru' })), [bruno._id])
  t.same(idsOf((await service.findChatHistory('r-3', ana._id)).items), ['r-3', 'r-2', 'r-1'])
  t.same(idsOf((await service.findChatHistory('r-3', ana._id, { sort: { closedAt: 1 }, count: 1 })).items), ['r-3'], 'no closedAt sorts first')
  t.same(idsOf((await service.searchChats('r-3', ana._id)).items), ['r-3', 'r-2', 'r-1'])
  t.same(idsOf((await service.searchChats('r-3', ana._id, { searchText: 'order' }, { sort: { fname: 1 } })).items), ['r-2'])
  await t.rejects(service.autocompleteVisitors({ term: { $ne: null } } as never), { code: 'LIVECHAT_INVALID_PARAMS' })
  await t.rejects(service.searchChats('r-3', { $ne: null } as never), { code: 'LIVECHAT_INVALID_PARAMS' })
  await t.rejects(service.searchChats('r-3', ana._id, { closedChatsOnly: true } as never), { code: 'LIVECHAT_INVALID_PARAMS' })
  await t.rejects(service.findChatHistory('nowhere', ana._id), { code: 'LIVECHAT_ROOM_NOT_FOUND' })
})
