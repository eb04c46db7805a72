import t from 'tap'
import { createHmac } from 'node:crypto'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { livechatApp } from './helpers/app.js'
import { pageInfo } from './helpers/every-route.js'
import { setRoomIdByToken } from './helpers/rocket-chat.js'
import { testDatabase } from './helpers/database.js'
import { withCollectionMethod } from './helpers/faults.js'
import { getVisitor, post } from './helpers/http.js'

const { db } = await testDatabase(t, import.meta.filename)
const SECRET = 'the host and the plugin share this key, 32+ bytes'
const app = await livechatApp(t, db, { identitySecret: SECRET })
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const inquiries = db.collection(DEFAULT_COLLECTIONS.inquiries)
await db.collection(DEFAULT_COLLECTIONS.customFields).insertOne({ _id: 'plan' as never, scope: 'visitor', visibility: 'visible' })

/** What the host's backend renders into its page: hex(HMAC-SHA256(identitySecret, userId)). */
const sign = (userId: string, secret = SECRET) => createHmac('sha256', secret).update(userId).digest('hex')
const identity = (userId: string) => ({ userId, hash: sign(userId) })
const register = (visitor: Record<string, unknown>) => post(app, 'visitor', { visitor })
const INVALID_IDENTITY = { success: false, error: '[invalid-identity]', errorType: 'invalid-identity' }
const INVALID_TOKEN = { success: false, error: '[invalid-token]', errorType: 'invalid-token' }

/** The visitor's own document, as stored. */
const storedVisitor = (_id: string) => visitors.findOne({ _id: _id as never })

t.test('a wrong hash is 400 [invalid-identity] and writes nothing, for a new token and for a known one', async t => {
  t.equal((await register({ token: 'id-known', name: 'Known Before' })).statusCode, 200)
  const before = await visitors.find().sort({ _id: 1 }).toArray()
  const wrong = [
    { userId: 'user-1', hash: sign('user-2') },
    { userId: 'user-1', hash: sign('user-1', `${SECRET}!`) },
    { userId: 'user-1', hash: '0'.repeat(64) }
  ]
  for (const given of wrong) {
    for (const token of ['id-new', 'id-known']) {
      const res = await register({ token, name: 'Changed', identity: given })
      t.same([res.statusCode, res.json()], [400, INVALID_IDENTITY], `${token}: ${given.hash.slice(0, 8)}`)
    }
  }
  t.same(await visitors.find().sort({ _id: 1 }).toArray(), before, 'no visitor created or changed')
})

t.test('a malformed identity is 400 invalid-params', async t => {
  const malformed = [
    { userId: 'user-1' },
    { userId: '', hash: sign('') },
    { userId: 'user-1', hash: sign('user-1').slice(1) },
    { userId: 'user-1', hash: `${sign('user-1').slice(1)}g` },
    { userId: 'user-1', hash: sign('user-1'), admin: true },
    { userId: 'user\u202e1', hash: sign('user\u202e1') },
    { userId: { $ne: null }, hash: sign('user-1') }
  ]
  for (const given of malformed) {
    const res = await register({ token: 'id-malformed', identity: given })
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], JSON.stringify(given))
  }
  t.equal(await visitors.countDocuments({ token: 'id-malformed' }), 0)
})

t.test('a valid identity verifies a new visitor and a known one; the answer, the event and the document say so', async t => {
  const registered: unknown[] = []
  t.teardown(app.livechat.on('visitorRegistered', event => { registered.push(event.visitor.identity) }))
  const before = Date.now()
  const created = await register({ token: 'id-ana', name: 'Ana', identity: identity('user-ana') })
  t.equal(created.statusCode, 200, created.body)
  const { visitor } = created.json()
  t.equal(visitor.identity.userId, 'user-ana')
  t.ok(Date.parse(visitor.identity.verifiedAt) >= before)
  t.match(await storedVisitor(visitor._id), { token: 'id-ana', identity: { userId: 'user-ana', verifiedAt: Date } })
  t.match(registered, [{ userId: 'user-ana' }])
  t.same((await getVisitor(app, 'id-ana')).json().visitor.identity, visitor.identity)
  const again = (await register({ token: 'id-ana', identity: identity('user-ana') })).json().visitor
  t.same([again._id, again.name], [visitor._id, 'Ana'], 'a login again on the same device: the same visitor')
  t.ok(Date.parse(again.identity.verifiedAt) >= Date.parse(visitor.identity.verifiedAt), 'verifiedAt is the last proof')

  const known = (await register({ token: 'id-known' })).json().visitor
  const upper = { userId: 'user-known', hash: sign('user-known').toUpperCase() }
  const verified = (await register({ token: 'id-known', identity: upper })).json().visitor
  t.same([verified._id, verified.name, verified.identity.userId], [known._id, 'Known Before', 'user-known'], 'the same visitor, now verified (hex in any case)')
  const unverified = (await register({ token: 'id-plain', name: 'Plain' })).json().visitor
  t.notOk('identity' in unverified, 'a visitor registered without identity is not verified')
})

t.test('the verified visitor follows its user to another device: same id, history, rooms and custom fields; the old token stops working', async t => {
  const first = (await register({ token: 'device-1', name: 'Bo', customFields: [{ key: 'plan', value: 'gold' }], identity: identity('user-bo') })).json().visitor
  await post(app, 'page.visited', { token: 'device-1', pageInfo: pageInfo('https://shop.example/roomless') })
  // Rocket.Chat opening a room for the visitor, then its Messages.setRoomIdByToken; and a message of the visitor (it stores the token).
  await rooms.insertOne({ _id: 'bo-room', t: 'l', open: true, v: { _id: first._id, username: first.username, token: 'device-1' } } as never)
  await inquiries.insertOne({ _id: 'bo-inquiry', rid: 'bo-room', status: 'queued', v: { _id: first._id, token: 'device-1' } } as never)
  await post(app, 'page.visited', { token: 'device-1', pageInfo: pageInfo('https://shop.example/in-room') })
  await setRoomIdByToken(messages, 'device-1', 'bo-room')
  await messages.insertOne({ _id: 'bo-says', rid: 'bo-room', msg: 'Hello', token: 'device-1', u: { _id: first._id, username: first.username } } as never)
  await post(app, 'page.visited', { token: 'device-1', pageInfo: pageInfo('https://shop.example/later') })

  const moved = await register({ token: 'device-2', identity: identity('user-bo') })
  t.equal(moved.statusCode, 200, moved.body)
  t.match(moved.json().visitor, { _id: first._id, token: 'device-2', name: 'Bo', livechatData: { plan: 'gold' }, identity: { userId: 'user-bo' } })
  t.same((await getVisitor(app, 'device-1')).json(), INVALID_TOKEN, 'the old token stops working')
  const exported = (await app.inject({ url: '/api/v1/livechat/visitor/device-2/export' })).json()
  t.same(exported.navigationHistory.map((entry: { page: { location: { href: string } } }) => entry.page.location.href),
    ['https://shop.example/roomless', 'https://shop.example/in-room', 'https://shop.example/later'], 'its whole history')
  t.same(exported.rooms.map((room: { _id: string }) => room._id), ['bo-room'])
  t.match(await rooms.findOne({ _id: 'bo-room' as never }), { v: { _id: first._id, token: 'device-2' } }, 'Rocket.Chat finds the room by the new token')
  t.match(await inquiries.findOne({ _id: 'bo-inquiry' as never }), { v: { token: 'device-2' } })
  t.match(await messages.findOne({ _id: 'bo-says' as never }), { token: 'device-2' })
  t.equal(await messages.countDocuments({ $or: [{ token: 'device-1' }, { 'navigation.token': 'device-1' }] }), 0, 'nothing names the old token')
  t.equal(await visitors.countDocuments({ 'identity.userId': 'user-bo' }), 1)
})

t.test('a visitor the device had before the login lets its token go, and keeps its data under a token nobody holds', async t => {
  const verified = (await register({ token: 'cy-laptop', name: 'Cy', identity: identity('user-cy') })).json().visitor
  const anonymous = (await register({ token: 'cy-phone', name: 'Cy on the phone' })).json().visitor
  await rooms.insertOne({ _id: 'cy-phone-room', t: 'l', open: false, v: { _id: anonymous._id, token: 'cy-phone' } } as never)
  await post(app, 'page.visited', { token: 'cy-phone', rid: 'cy-phone-room', pageInfo: pageInfo('https://shop.example/phone-chat') })
  await post(app, 'page.visited', { token: 'cy-phone', pageInfo: pageInfo('https://shop.example/phone-roomless') })

  const res = await register({ token: 'cy-phone', identity: identity('user-cy') })
  t.match(res.json().visitor, { _id: verified._id, name: 'Cy', token: 'cy-phone' })
  const left = await storedVisitor(anonymous._id)
  t.match(left, { name: 'Cy on the phone', token: /^[0-9a-f]{32}$/ }, 'the other visitor stays, with a new random token')
  t.not(left?.token, 'cy-phone')
  t.match(await rooms.findOne({ _id: 'cy-phone-room' as never }), { v: { _id: anonymous._id, token: left?.token } }, 'its room goes with it')
  t.equal(await messages.countDocuments({ rid: 'cy-phone-room', 'navigation.token': left?.token }), 1, 'and that room\'s history')
  t.equal(await messages.countDocuments({ 'navigation.token': 'cy-phone', rid: { $exists: false } }), 1, 'the device\'s roomless history stays with the token')
})

t.test('a shared device: another user\'s login gives the token a visitor of its own, and the first one\'s data is out of reach', async t => {
  const dee = (await register({ token: 'kiosk', name: 'Dee', identity: identity('user-dee') })).json().visitor
  const eve = (await register({ token: 'kiosk', name: 'Eve', identity: identity('user-eve') })).json().visitor
  t.not(eve._id, dee._id, 'a new visitor for the new user')
  t.same([eve.name, eve.identity.userId], ['Eve', 'user-eve'])
  t.match((await getVisitor(app, 'kiosk')).json().visitor, { _id: eve._id, name: 'Eve' })
  t.not((await storedVisitor(dee._id))?.token, 'kiosk')
  const back = (await register({ token: 'kiosk', identity: identity('user-dee') })).json().visitor
  t.same([back._id, back.name], [dee._id, 'Dee'], 'the first user logging in again gets its visitor back')
})

t.test('concurrent first logins of one user on several devices make one visitor', async t => {
  const tokens = Array.from({ length: 8 }, (_, i) => `race-device-${i}`)
  const answers = await Promise.all(tokens.map(token => register({ token, identity: identity('user-race') })))
  t.same(answers.map(res => res.statusCode), tokens.map(() => 200), answers.map(res => res.body).join('\n'))
  t.equal(await visitors.countDocuments({ 'identity.userId': 'user-race' }), 1, 'one visitor for the user')
  const ids = new Set(answers.map(res => res.json().visitor._id))
  t.equal(ids.size, 1, 'every answer is that visitor')
})

t.test('a user verified on another device between the checks and the write: the registration tries again and moves that visitor', async t => {
  const anonymous = (await register({ token: 'fay-phone', name: 'Fay on the phone' })).json().visitor
  let raced = false
  const racing = withCollectionMethod(db, 'findOneAndUpdate', original => async (...args: never[]) => {
    const [, update] = args as Array<{ $set?: Record<string, unknown> }>
    if (!raced && update.$set?.identity !== undefined) {
      raced = true
      await visitors.insertOne({ _id: 'fay-laptop-visitor', token: 'fay-laptop', name: 'Fay', identity: { userId: 'user-fay', verifiedAt: new Date() } } as never)
    }
    return original(...args)
  })
  const racedApp = await livechatApp(t, racing, { identitySecret: SECRET, decorator: 'raced' })
  const res = await post(racedApp, 'visitor', { visitor: { token: 'fay-phone', identity: identity('user-fay') } })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json().visitor, { _id: 'fay-laptop-visitor', token: 'fay-phone', name: 'Fay' })
  t.not((await storedVisitor(anonymous._id))?.token, 'fay-phone')
  t.equal(await visitors.countDocuments({ 'identity.userId': 'user-fay' }), 1)
})

t.test('a new verified visitor with a chosen username loses the identity to another device: it tries again, and the username is not blamed', async t => {
  let raced = false
  const racing = withCollectionMethod(db, 'insertOne', original => async (...args: never[]) => {
    const [document] = args as Array<{ identity?: unknown }>
    if (!raced && document.identity !== undefined) {
      raced = true
      await visitors.insertOne({ _id: 'hal-laptop-visitor', token: 'hal-laptop', name: 'Hal', identity: { userId: 'user-hal', verifiedAt: new Date() } } as never)
    }
    return original(...args)
  })
  // Without ensureIndexes: the start-up probe's insert would set the race off.
  const racedApp = await livechatApp(t, racing, { identitySecret: SECRET, decorator: 'racedInsert', ensureIndexes: false })
  const res = await post(racedApp, 'visitor', { visitor: { token: 'hal-phone', username: 'hal-chosen', identity: identity('user-hal') } })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json().visitor, { _id: 'hal-laptop-visitor', token: 'hal-phone', name: 'Hal' })
})

t.test('a database failure during a verified registration is a 500, not a retry', async t => {
  const failing = withCollectionMethod(db, 'updateMany', () => async () => { throw new Error('connection reset') })
  const broken = await livechatApp(t, failing, { identitySecret: SECRET, decorator: 'broken' })
  t.equal((await register({ token: 'gil-1', identity: identity('user-gil') })).statusCode, 200)
  const res = await post(broken, 'visitor', { visitor: { token: 'gil-2', identity: identity('user-gil') } })
  t.equal(res.statusCode, 500)
  t.equal((await register({ token: 'gil-2', identity: identity('user-gil') })).json().visitor.token, 'gil-2', 'the next registration completes the move')
})

t.test('without identitySecret, an identity is refused with a clear 400 and nothing is written', async t => {
  const plain = await livechatApp(t, db, { decorator: 'plain' })
  const res = await post(plain, 'visitor', { visitor: { token: 'id-unverifiable', identity: identity('user-x') } })
  t.same([res.statusCode, res.json()], [400, {
    success: false,
    error: 'This server verifies no identity: send the visitor without identity [identity-not-enabled]',
    errorType: 'identity-not-enabled'
  }])
  t.equal(await visitors.countDocuments({ token: 'id-unverifiable' }), 0)
})

t.test('the service verifies as the route does', async t => {
  await t.rejects(app.livechat.registerVisitor({ token: 'id-service', identity: { userId: 'user-s', hash: sign('user-t') } }), { code: 'LIVECHAT_INVALID_IDENTITY' })
  const { visitor } = await app.livechat.registerVisitor({ token: 'id-service', identity: identity('user-s') })
  t.equal(visitor.identity?.userId, 'user-s')
})
