import t from 'tap'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { pageInfo } from './helpers/every-route.js'
import { testDatabase } from './helpers/database.js'
import { agentGet, post } from './helpers/http.js'

// What Rocket.Chat shows agents when the plugin serves the visitor routes beside it: the rooms,
// inquiries and subscriptions are Rocket.Chat's, written here as its models write them.
const { db } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { authorizeAgent: authorizeTestAgents })
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const inquiries = db.collection(DEFAULT_COLLECTIONS.inquiries)
const subscriptions = db.collection(DEFAULT_COLLECTIONS.subscriptions)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const settings = db.collection(DEFAULT_COLLECTIONS.settings)

/**
 * A room Rocket.Chat opened for the visitor (createLivechatRoom: `fname` the guest's name, `msgs: 0`,
 * `v: {_id, username, token, status}`), its queued inquiry (LivechatInquiry.queueInquiry: `name`),
 * and an agent's subscription to it (createSubscription: `name` and `fname` the guest's name).
 */
async function roomOpenedByRocketChat (rid: string, visitor: { _id: string, username: string, token: string, name: string }, open = true) {
  const v = { _id: visitor._id, username: visitor.username, token: visitor.token, status: 'online' }
  await rooms.insertOne({ _id: rid, t: 'l', fname: visitor.name, msgs: 0, usersCount: 1, ts: new Date(), v, ...(open ? { open: true } : { closedAt: new Date() }) } as never)
  await inquiries.insertOne({ _id: `${rid}-inquiry`, rid, name: visitor.name, status: 'queued', t: 'l', ts: new Date(), v } as never)
  await subscriptions.insertOne({ _id: `${rid}-sub`, rid, name: visitor.name, fname: visitor.name, t: 'l', u: { _id: 'agent-1', username: 'agent.one' } } as never)
}

async function namesOf (rid: string) {
  return {
    room: (await rooms.findOne({ _id: rid as never }))?.fname,
    inquiry: (await inquiries.findOne({ rid }))?.name,
    subscription: await subscriptions.findOne({ rid }, { projection: { _id: 0, name: 1, fname: 1 } })
  }
}

t.test('a registration shows the new name in the open rooms, as Rocket.Chat\'s saveRoomInfo does', async t => {
  const visitor = (await post(app, 'visitor', { visitor: { token: 'named-1', name: 'Old Name' } })).json().visitor
  await roomOpenedByRocketChat('open-room', { ...visitor, token: 'named-1' })
  await roomOpenedByRocketChat('closed-room', { ...visitor, token: 'named-1' }, false)
  const other = (await post(app, 'visitor', { visitor: { token: 'named-2', name: 'Someone Else' } })).json().visitor
  await roomOpenedByRocketChat('other-room', { ...other, token: 'named-2' })

  t.equal((await post(app, 'visitor', { visitor: { token: 'named-1', name: 'New Name' } })).statusCode, 200)
  t.same(await namesOf('open-room'), { room: 'New Name', inquiry: 'New Name', subscription: { name: 'New Name', fname: 'New Name' } })
  t.same(await namesOf('closed-room'), { room: 'Old Name', inquiry: 'Old Name', subscription: { name: 'Old Name', fname: 'Old Name' } }, 'a closed room keeps its name')
  t.same(await namesOf('other-room'), { room: 'Someone Else', inquiry: 'Someone Else', subscription: { name: 'Someone Else', fname: 'Someone Else' } })

  await rooms.updateOne({ _id: 'open-room' as never }, { $set: { fname: 'Renamed by an agent' } })
  t.equal((await post(app, 'visitor', { visitor: { token: 'named-1', email: 'new@example.com' } })).statusCode, 200)
  t.equal((await namesOf('open-room')).room, 'New Name', 'without a name sent, the stored one, as Rocket.Chat passes the visitor\'s')
})

t.test('a visitor without a name leaves its rooms\' names alone', async t => {
  const visitor = (await post(app, 'visitor', { visitor: { token: 'nameless-1' } })).json().visitor
  await roomOpenedByRocketChat('nameless-room', { ...visitor, name: visitor.username, token: 'nameless-1' })
  t.equal((await post(app, 'visitor', { visitor: { token: 'nameless-1', phone: '555-0100' } })).statusCode, 200)
  t.equal((await namesOf('nameless-room')).room, visitor.username)
})

t.test('a history entry in a room is written as Rocket.Chat\'s saveSystemMessage writes it, and counted in the room', async t => {
  const visitor = (await post(app, 'visitor', { visitor: { token: 'counted-1', name: 'Counted' } })).json().visitor
  await roomOpenedByRocketChat('counted-room', { ...visitor, token: 'counted-1' })
  for (const page of ['a', 'b']) {
    t.equal((await post(app, 'page.visited', { token: 'counted-1', rid: 'counted-room', pageInfo: pageInfo(`https://shop.example/${page}`) })).statusCode, 200)
  }
  t.equal((await rooms.findOne({ _id: 'counted-room' as never }))?.msgs, 2, 'Rooms.incMsgCountById for each')
  const entry = await messages.findOne({ rid: 'counted-room' })
  t.same(entry?.u, { _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' }, 'u with the name, as Rocket.Chat reads it from its user')
  t.notOk('unread' in (entry ?? {}), 'read receipts are off: no unread')

  await post(app, 'page.visited', { token: 'counted-1', pageInfo: pageInfo('https://shop.example/roomless') })
  t.equal((await rooms.findOne({ _id: 'counted-room' as never }))?.msgs, 2, 'a roomless entry counts in no room')
  t.notOk('unread' in (await messages.findOne({ 'navigation.token': 'counted-1', rid: { $exists: false } }) ?? {}))
})

t.test('with Rocket.Chat\'s read receipts on, an entry in a room is unread, as Rocket.Chat marks its system messages', async t => {
  await settings.insertOne({ _id: 'Message_Read_Receipt_Enabled' as never, value: true })
  t.teardown(() => settings.deleteOne({ _id: 'Message_Read_Receipt_Enabled' as never }))
  await post(app, 'page.visited', { token: 'counted-1', rid: 'counted-room', pageInfo: pageInfo('https://shop.example/c') })
  t.equal((await messages.findOne({ rid: 'counted-room', 'navigation.page.location.href': 'https://shop.example/c' }))?.unread, true)
  await post(app, 'page.visited', { token: 'counted-1', pageInfo: pageInfo('https://shop.example/roomless-2') })
  t.notOk('unread' in (await messages.findOne({ 'navigation.page.location.href': 'https://shop.example/roomless-2' }) ?? {}), 'not a roomless one')
})

t.test('the system user\'s name is an option; without one, its username', async t => {
  const named = await livechatApp(t, db, { decorator: 'named', systemUser: { _id: 'bot-1', username: 'bot', name: 'Shop Bot' } })
  const plain = await livechatApp(t, db, { decorator: 'plain', systemUser: { _id: 'bot-2', username: 'bot2' } })
  await post(named, 'page.visited', { token: 'bot-token-1', pageInfo: pageInfo('https://shop.example/bot-1') })
  await post(plain, 'page.visited', { token: 'bot-token-2', pageInfo: pageInfo('https://shop.example/bot-2') })
  t.same((await messages.findOne({ 'navigation.token': 'bot-token-1' }))?.u, { _id: 'bot-1', username: 'bot', name: 'Shop Bot' })
  t.same((await messages.findOne({ 'navigation.token': 'bot-token-2' }))?.u, { _id: 'bot-2', username: 'bot2', name: 'bot2' })
})

t.test('agents get the entry\'s author with its name, and unread', async t => {
  const { pages } = (await agentGet(app, 'visitors.pagesVisited/counted-room', 'agent')).json()
  t.match(pages, [{ u: { _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' }, unread: true }, { u: { name: 'Rocket.Cat' } }, { u: { name: 'Rocket.Cat' } }])
  t.notOk('unread' in pages[1], 'written while read receipts were off')
})
