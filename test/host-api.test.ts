import t from 'tap'
import Fastify from 'fastify'
import livechat, { DEFAULT_COLLECTIONS, type LivechatEvents } from '../lib/index.js'
import { testDatabase } from './helpers/database.js'
import { pageInfo } from './helpers/every-route.js'
import { eraseVisitor, post } from './helpers/http.js'

const { db } = await testDatabase(t, import.meta.filename)
const logged: string[] = []
const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } } })
await app.register(livechat, { prefix: '/api/v1', db })
await app.ready()
t.teardown(() => app.close())
const service = app.livechat
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
await db.collection(DEFAULT_COLLECTIONS.customFields).insertMany([
  { _id: 'address', scope: 'visitor', visibility: 'visible' },
  { _id: 'topic', scope: 'room', visibility: 'visible' }
] as never[])

/** Every event the service fires while `action` runs, in order. */
async function eventsDuring (action: () => Promise<unknown>) {
  const seen: Array<[string, unknown]> = []
  const names: Array<keyof LivechatEvents> = ['visitorRegistered', 'visitorUpdated', 'visitorErased', 'pageVisited']
  const stops = names.map(name => service.on(name, event => { seen.push([name, event]) }))
  try {
    await action()
  } finally {
    for (const stop of stops) stop()
  }
  return seen
}

t.test('each operation is a function of the decorator, with the routes\' rules', async t => {
  const { visitor, created } = await service.registerVisitor({ token: 'host-1', name: 'Host One' })
  t.equal(created, true)
  t.same(await service.findVisitorByToken('host-1'), visitor)
  await service.setCustomField('host-1', { key: 'address', value: 'Rua H', overwrite: true })
  await service.setCustomFields('host-1', [{ key: 'address', value: 'ignored, not overwrite' }])
  t.same((await service.findVisitorByToken('host-1'))?.livechatData, { address: 'Rua H' })
  t.equal((await service.setVisitorStatus('host-1', 'busy')).status, 'busy')
  t.equal((await service.findVisitorById(visitor._id))?.name, 'Host One')
  t.equal((await service.searchVisitors('host o')).total, 1)
  t.same((await service.searchVisitors('', { sort: { name: -1 }, count: 0 })).items.map(found => found.name), ['Host One'], 'every visitor for an empty term, sorted, the default page for count 0')
  t.same(await service.findOpenRooms('host-1'), [])
  const erased = await service.eraseVisitor('host-1')
  t.equal(erased._id, visitor._id)
  t.ok(erased.ts instanceof Date)
  t.equal(await service.findVisitorByToken('host-1'), null)
  t.equal(await service.findVisitorById(visitor._id), null)
  await t.rejects(service.eraseVisitor('host-1'), { code: 'LIVECHAT_INVALID_TOKEN', statusCode: 400 })
})

t.test('the decorator checks its arguments like the routes\' schemas do', async t => {
  const invalid = { code: 'LIVECHAT_INVALID_PARAMS', statusCode: 400 }
  await t.rejects(service.eraseVisitor({ $ne: null } as never), { ...invalid, message: /^token must be/ })
  await t.rejects(service.setVisitorStatus('host-2', 'gone' as never), { ...invalid, message: /^status must be/ })
  await t.rejects(service.setCustomField('host-2', { key: 'a\u202Eb', value: 'x' }), { ...invalid, message: /^key must be/ })
  await t.rejects(service.setCustomFields('host-2', {} as never), { ...invalid, message: /^customFields/ })
  await t.rejects(service.attachHistoryToRoom('host-2', 'bad room'), { ...invalid, message: /^rid must be/ })
  await t.rejects(service.findOpenRooms(['host-2'] as never), { ...invalid, message: /^token/ })
  await t.rejects(service.findPagesVisited('room', { count: -1 }), { ...invalid, message: /^count must be/ })
  await t.rejects(service.findPagesVisited('room', { sort: { msg: 1 } as never }), { ...invalid, message: /^msg: Unexpected property/ })
  await t.rejects(service.findPagesVisited('$room'), { ...invalid, message: /^roomId must be/ })
  await t.rejects(service.searchVisitors('a\u0000b'), { ...invalid, message: /^term must be/ })
  await t.rejects(service.searchVisitors('', { sort: { 'lastChat.ts': 0 } as never }), { ...invalid, message: /^lastChat.ts: / })
  t.equal(await service.findVisitorById({ $ne: null } as never), null, 'a finder answers null for a key that cannot exist')
})

t.test('events fire after their write, for routes and functions alike', async t => {
  const registered = await eventsDuring(() => post(app, 'visitor', { visitor: { token: 'ev-1', name: 'Eve' } }))
  t.match(registered, [['visitorRegistered', { visitor: { token: 'ev-1', name: 'Eve' }, created: true }]])
  t.match(await eventsDuring(() => service.registerVisitor({ token: 'ev-1' })), [['visitorRegistered', { created: false }]])

  await rooms.insertOne({ _id: 'ev-room', t: 'l', open: true, v: { token: 'ev-1' } } as never)
  const updated = await eventsDuring(async () => {
    await post(app, 'custom.field', { token: 'ev-1', key: 'address', value: 'Rua E', overwrite: false })
    await post(app, 'visitor.status', { token: 'ev-1', status: 'away' })
  })
  t.match(updated, [
    ['visitorUpdated', { visitor: { token: 'ev-1', livechatData: { address: 'Rua E' } } }],
    ['visitorUpdated', { visitor: { token: 'ev-1', status: 'away' } }]
  ])

  const visited = await eventsDuring(async () => {
    await post(app, 'page.visited', { token: 'ev-1', rid: 'ev-room', pageInfo: pageInfo('https://a.example/1') })
    await post(app, 'page.visited', { token: 'ev-1', pageInfo: pageInfo('https://a.example/2') })
    await post(app, 'page.visited', { token: 'ev-1', pageInfo: { ...pageInfo('https://a.example/3'), change: 'title' } })
  })
  t.same(visited, [
    ['pageVisited', { token: 'ev-1', rid: 'ev-room', page: { msg: 'T - https://a.example/1', navigation: { page: pageInfo('https://a.example/1'), token: 'ev-1' } } }],
    ['pageVisited', { token: 'ev-1', page: { msg: 'T - https://a.example/2', navigation: { page: pageInfo('https://a.example/2'), token: 'ev-1' } } }]
  ], 'a change that is not monitored stores nothing and fires nothing')

  await rooms.updateOne({ _id: 'ev-room' as never }, { $set: { open: false } })
  const erased = await eventsDuring(() => eraseVisitor(app, 'ev-1'))
  t.match(erased, [['visitorErased', { _id: String, ts: Date }]])
})

t.test('failed operations fire no event', async t => {
  const seen = await eventsDuring(async () => {
    await post(app, 'visitor', { visitor: { token: 'bad token' } })
    await post(app, 'visitor.status', { token: 'nobody', status: 'away' })
    await post(app, 'custom.field', { token: 'nobody', key: 'address', value: 'x', overwrite: true })
    await post(app, 'page.visited', { token: 'nobody', rid: 'no-room', pageInfo: pageInfo('https://a.example/') })
    await eraseVisitor(app, 'nobody')
  })
  t.same(seen, [])
})

t.test('a listener that throws or rejects never breaks the request; it is logged', async t => {
  const calls: string[] = []
  const stops = [
    service.on('visitorRegistered', () => { throw new Error('sync listener broke') }),
    service.on('visitorRegistered', async () => { throw new Error('async listener broke') }),
    service.on('visitorRegistered', ({ visitor }) => { calls.push(visitor.token as string) })
  ]
  t.teardown(() => stops.forEach(stop => stop()))
  const res = await post(app, 'visitor', { visitor: { token: 'ev-throw' } })
  t.equal(res.statusCode, 200)
  t.same(calls, ['ev-throw'], 'the listeners after a failing one still run')
  await new Promise(resolve => setImmediate(resolve))
  t.match(logged.join(''), 'sync listener broke')
  t.match(logged.join(''), 'async listener broke')
})

t.test('what a listener changes never reaches the answer', async t => {
  const stop = service.on('visitorRegistered', event => { event.visitor.name = 'Changed by a listener' })
  t.teardown(stop)
  const res = await post(app, 'visitor', { visitor: { token: 'ev-mutate', name: 'Original' } })
  t.equal(res.json().visitor.name, 'Original')
})

t.test('off and the function on returns both stop a listener', async t => {
  const calls: string[] = []
  const listener = ({ visitor }: LivechatEvents['visitorRegistered']) => { calls.push(visitor.token as string) }
  service.on('visitorRegistered', listener)
  await service.registerVisitor({ token: 'ev-off-1' })
  service.off('visitorRegistered', listener)
  const stop = service.on('visitorRegistered', listener)
  await service.registerVisitor({ token: 'ev-off-2' })
  stop()
  await service.registerVisitor({ token: 'ev-off-3' })
  t.same(calls, ['ev-off-1', 'ev-off-2'])
})

t.test('attachHistoryToRoom gives the token\'s roomless history the room, and it stops expiring', async t => {
  for (const n of [1, 2]) await post(app, 'page.visited', { token: 'att-1', pageInfo: pageInfo(`https://a.example/${n}`) })
  await post(app, 'page.visited', { token: 'att-other', pageInfo: pageInfo('https://a.example/other') })
  await rooms.insertOne({ _id: 'att-old', t: 'l', open: false, v: { token: 'att-1' } } as never)
  await post(app, 'page.visited', { token: 'att-1', rid: 'att-old', pageInfo: pageInfo('https://a.example/old') })

  t.equal(await service.attachHistoryToRoom('att-1', 'att-room'), 2)
  const history = await messages.find({ 'navigation.token': 'att-1' }).sort({ ts: 1 }).toArray()
  t.same(history.map(m => [m.rid, 'expireAt' in m]), [['att-room', false], ['att-room', false], ['att-old', false]])
  t.equal(typeof (await messages.findOne({ 'navigation.token': 'att-other' }))?.expireAt, 'number', 'another token\'s history keeps its expiry')
  t.equal(await service.attachHistoryToRoom('att-1', 'att-room'), 0, 'nothing roomless is left to attach')
  await messages.insertOne({ _id: 'rc-entry', t: 'livechat_navigation_history', rid: null, ts: new Date(), navigation: { token: 'att-rc' } } as never)
  t.equal(await service.attachHistoryToRoom('att-rc', 'att-room'), 1, 'Rocket.Chat\'s roomless entries have rid: null')
  t.equal((await messages.findOne({ _id: 'rc-entry' as never }))?.rid, 'att-room')
})
