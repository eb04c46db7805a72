import t from 'tap'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { agentGet, eraseVisitor, getVisitor, post } from './helpers/http.js'

// GET /livechat/visitor/:token/export: the right of access, for every visitor, registered or not;
// and the values of hidden custom fields, which stay with the agents.
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { collectHttpHeaders: true, authorizeAgent: authorizeTestAgents })
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
await db.collection(DEFAULT_COLLECTIONS.customFields).insertMany([
  { _id: 'address', scope: 'visitor', visibility: 'visible' },
  { _id: 'riskScore', scope: 'visitor', visibility: 'hidden' }
] as never[])

const exportOf = (token: string) => app.inject({ url: `/api/v1/livechat/visitor/${token}/export` })
const pageInfo = (href: string) => ({ change: 'url', title: `Title of ${href}`, location: { href } })
const invalidToken = { success: false, error: '[invalid-token]', errorType: 'invalid-token' }

const registered = await app.inject({
  method: 'POST',
  url: '/api/v1/livechat/visitor',
  headers: { 'user-agent': 'Agent/1.0' },
  payload: { visitor: { token: 'exp-1', name: 'Eva Export', email: 'eva@example.com', phone: '+55 51 5555', customFields: [{ key: 'address', value: 'Rua A' }] } }
})
const eva = registered.json().visitor as { _id: string, username: string }
// An agent's value, in a hidden field: as Rocket.Chat's LivechatVisitors.updateLivechatDataByToken sets it.
await db.collection(DEFAULT_COLLECTIONS.visitors).updateOne({ token: 'exp-1' }, { $set: { 'livechatData.riskScore': 'high' } })
await rooms.insertMany([
  { _id: 'exp-room-1', t: 'l', fname: 'Eva Export', ts: new Date('2026-01-01T10:00:00Z'), open: false, closedAt: new Date('2026-01-01T11:00:00Z'), v: { _id: eva._id, token: 'exp-1' }, lastMessage: { msg: 'not exported' } },
  { _id: 'exp-room-2', t: 'l', fname: 'Eva Export', ts: new Date('2026-01-02T10:00:00Z'), open: true, v: { _id: eva._id, token: 'exp-1' } },
  { _id: 'someone-else', t: 'l', ts: new Date('2026-01-03T10:00:00Z'), open: true, v: { token: 'exp-other' } }
] as never[])
await post(app, 'page.visited', { token: 'exp-1', pageInfo: pageInfo('https://shop.example/first') })
await post(app, 'page.visited', { token: 'exp-1', rid: 'exp-room-2', pageInfo: pageInfo('https://shop.example/in-room') })

t.test('a registered visitor\'s export: its stored fields, its history with and without rooms, its rooms\' ids, dates and state', async t => {
  const res = await exportOf('exp-1')
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.match(body.visitor, {
    _id: eva._id,
    token: 'exp-1',
    username: eva.username,
    name: 'Eva Export',
    visitorEmails: [{ address: 'eva@example.com' }],
    phone: [{ phoneNumber: '+55 51 5555' }],
    livechatData: { address: 'Rua A' },
    userAgent: 'Agent/1.0',
    ip: '127.0.0.1',
    host: 'localhost:80'
  })
  t.notOk('riskScore' in body.visitor.livechatData, 'a hidden field\'s value stays with the agents (differs)')
  t.same(body.navigationHistory.map((entry: { rid?: string, page: { location: { href: string } } }) => [entry.rid, entry.page.location.href]),
    [[undefined, 'https://shop.example/first'], ['exp-room-2', 'https://shop.example/in-room']], 'oldest first, with the room when there is one')
  t.same(body.rooms, [
    { _id: 'exp-room-1', fname: 'Eva Export', ts: '2026-01-01T10:00:00.000Z', open: false, closedAt: '2026-01-01T11:00:00.000Z' },
    { _id: 'exp-room-2', fname: 'Eva Export', ts: '2026-01-02T10:00:00.000Z', open: true }
  ], 'only its own rooms, without their messages')
  t.equal(JSON.stringify(body.navigationHistory).includes('exp-1'), false, 'the history entries do not repeat the token')
  t.equal(body.success, true)
})

t.test('a token that never registered gets its history; one with only a room gets the room', async t => {
  await post(app, 'page.visited', { token: 'exp-anonymous', pageInfo: pageInfo('https://shop.example/anonymous') })
  t.match((await exportOf('exp-anonymous')).json(), {
    visitor: null, navigationHistory: [{ page: { location: { href: 'https://shop.example/anonymous' } } }], rooms: [], success: true
  })
  t.match((await exportOf('exp-other')).json(), { visitor: null, navigationHistory: [], rooms: [{ _id: 'someone-else', open: true }] })
})

t.test('an unknown, malformed or erased token gets the unknown token\'s answer; a malformed one sends nothing', async t => {
  t.same((await exportOf('nobody-at-all')).json(), invalidToken)
  for (const token of ['bad%20token', '%24ne', `${'x'.repeat(99)}$`]) {
    let answer: unknown
    const commands = await commandsDuring(client, async () => { answer = (await exportOf(token)).json() })
    t.same([answer, commands], [invalidToken, []], token)
  }
  await post(app, 'visitor', { visitor: { token: 'exp-erased', name: 'Gone' } })
  await post(app, 'page.visited', { token: 'exp-erased', pageInfo: pageInfo('https://shop.example/gone') })
  t.equal((await eraseVisitor(app, 'exp-erased')).statusCode, 200)
  t.same((await exportOf('exp-erased')).json(), invalidToken, 'after an erase nothing is left to export')
})

t.test('hidden custom fields are not answered to the visitor: GET and registration; agents still see them', async t => {
  t.same((await getVisitor(app, 'exp-1')).json().visitor.livechatData, { address: 'Rua A' })
  t.same((await post(app, 'visitor', { visitor: { token: 'exp-1', name: 'Eva Again' } })).json().visitor.livechatData, { address: 'Rua A' })
  t.match((await agentGet(app, `visitors.info?visitorId=${eva._id}`, 'agent')).json().visitor.livechatData, { address: 'Rua A', riskScore: 'high' })
  t.same(await app.livechat.findVisitorByToken('exp-1').then(visitor => visitor?.livechatData), { address: 'Rua A' }, 'the service answers as the route')
})

t.test('the service exports too, checking its argument', async t => {
  t.match(await app.livechat.exportVisitor('exp-1'), { visitor: { _id: eva._id }, rooms: [{ _id: 'exp-room-1' }, { _id: 'exp-room-2' }] })
  await t.rejects(app.livechat.exportVisitor({ $ne: null } as never), { code: 'LIVECHAT_INVALID_PARAMS' })
  await t.rejects(app.livechat.exportVisitor('nobody-at-all'), { code: 'LIVECHAT_INVALID_TOKEN' })
})
