import t from 'tap'
import type { Document } from 'mongodb'
import { livechatApp } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'
import { withCollectionMethod } from './helpers/faults.js'
import { eraseVisitor, getVisitor, post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db } = await testDatabase(t, import.meta.filename)
// No periodic run here during the tests: they complete pending erasures themselves, but one.
const app = await livechatApp(t, db, { collectHttpHeaders: true, expiryCleanupIntervalMs: 2 ** 31 - 1 })
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const subscriptions = db.collection(DEFAULT_COLLECTIONS.subscriptions)
const inquiries = db.collection(DEFAULT_COLLECTIONS.inquiries)
const uploads = db.collection(DEFAULT_COLLECTIONS.uploads)
const uploadFiles = db.collection(DEFAULT_COLLECTIONS.uploadFiles)
const uploadChunks = db.collection(DEFAULT_COLLECTIONS.uploadChunks)
const readReceipts = db.collection(DEFAULT_COLLECTIONS.readReceipts)
const contacts = db.collection(DEFAULT_COLLECTIONS.contacts)
await db.collection(DEFAULT_COLLECTIONS.departments).insertOne({ _id: 'dep-1' as never, name: 'Sales' })
await db.collection(DEFAULT_COLLECTIONS.customFields).insertOne({ _id: 'address' as never, scope: 'visitor', visibility: 'visible' })

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const pageInfo = (href: string) => ({ change: 'url', title: 'Page', location: { href } })
const invalidToken = { success: false, error: '[invalid-token]', errorType: 'invalid-token' }

interface Person { token: string, name: string, email: string, phone: string, username: string }

/** A visitor with every field, two closed rooms with messages, subscriptions and inquiries, and history. */
async function visitorWithEverything (person: Person, { openRoom = false } = {}): Promise<Document> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/livechat/visitor',
    headers: { 'user-agent': `Agent of ${person.name}` },
    payload: {
      visitor: {
        ...person,
        department: 'Sales',
        customFields: [{ key: 'address', value: `Street of ${person.name}` }]
      }
    }
  })
  const { visitor } = res.json()
  const v = { _id: visitor._id, username: person.username, token: person.token }
  const roomIds = [`${person.username}-r1`, `${person.username}-r2`]
  await rooms.insertMany(roomIds.map((_id, i) => ({ _id, t: 'l', open: openRoom && i === 0, fname: person.name, v })) as never[])
  for (const rid of roomIds) {
    await messages.insertOne({ _id: `${rid}-m`, rid, msg: `Hello, I am ${person.name}, mail me at ${person.email}`, u: { _id: visitor._id, username: person.username } } as never)
    await subscriptions.insertOne({ _id: `${rid}-s`, rid, name: person.name, fname: person.name } as never)
    await inquiries.insertOne({ _id: `${rid}-i`, rid, name: person.name, v: { ...v, phone: person.phone } } as never)
    await uploadedByRocketChat(rid, person, visitor._id)
    // ReadReceipts.insertMany of Rocket.Chat's read receipts: one per message and reader.
    await readReceipts.insertOne({ _id: `${rid}-rr`, roomId: rid, messageId: `${rid}-m`, userId: visitor._id, ts: new Date(), u: { username: person.username, name: person.name } } as never)
    t.equal((await post(app, 'page.visited', { token: person.token, rid, pageInfo: pageInfo(`https://shop.example/${rid}`) })).statusCode, 200)
  }
  await contactOfRocketChat(person, visitor._id)
  // LivechatVisitors.markVisitorActiveForPeriod (packages/models/src/models/LivechatVisitors.ts) and
  // what Rocket.Chat's routing and apps write: the fields its disableById keeps.
  await visitors.updateOne({ _id: visitor._id }, {
    $push: { activity: { $each: ['2026-11'], $slice: -12 } },
    $set: { lastAgent: { agentId: 'agent-1', username: 'agent.one' }, contactId: `contact-${visitor._id}`, source: { type: 'widget' } }
  } as never)
  t.equal((await post(app, 'page.visited', { token: person.token, pageInfo: pageInfo('https://shop.example/roomless') })).statusCode, 200)
  return visitor
}

/**
 * A file the visitor sent in the room, as Rocket.Chat's FileUpload stores it with its GridFS store:
 * the upload in `rocketchat_uploads` (with `rid`), its content in the `rocketchat_uploads` bucket
 * under the upload's id.
 */
async function uploadedByRocketChat (rid: string, person: Person, visitorId: string): Promise<void> {
  const _id = `${rid}-upload`
  await uploads.insertOne({ _id, rid, name: `${person.name}-passport.jpg`, userId: visitorId, store: 'GridFS:Uploads', complete: true } as never)
  await uploadFiles.insertOne({ _id, length: 20, chunkSize: 261120, uploadDate: new Date(), filename: `${person.name}-passport.jpg` } as never)
  await uploadChunks.insertOne({ _id: `${rid}-chunk`, files_id: _id, n: 0, data: Buffer.from(`scan of ${person.name}`) } as never)
}

/** The visitor's contact as Rocket.Chat 7 makes it (LivechatContacts.insertContact), with the channel naming the visitor. */
async function contactOfRocketChat (person: Person, visitorId: string): Promise<void> {
  await contacts.insertOne({
    _id: `contact-${visitorId}`,
    name: person.name,
    emails: [{ address: person.email }],
    phones: [{ phoneNumber: person.phone }],
    customFields: { address: `Street of ${person.name}` },
    channels: [{ name: 'widget', visitor: { visitorId, source: { type: 'widget' } }, verified: false, blocked: false }],
    activity: ['2026-11'],
    enabled: true
  } as never)
}

/** Every document of every collection of the database that mentions one of the strings. */
async function documentsMentioning (strings: string[]): Promise<string[]> {
  const found: string[] = []
  for (const { name } of await db.listCollections().toArray()) {
    for (const document of await db.collection(name).find().toArray()) {
      const text = JSON.stringify(document)
      if (strings.some(s => text.includes(s))) found.push(`${name}: ${text}`)
    }
  }
  return found
}

const ana: Person = { token: 'erase-ana', name: 'Ana Erasable', email: 'ana.erasable@example.com', phone: '+55 51 5555-0001', username: 'ana-erasable' }
const bo: Person = { token: 'erase-bo', name: 'Bo Keeper', email: 'bo.keeper@example.com', phone: '+55 51 5555-0002', username: 'bo-keeper' }

t.test('erasing leaves nothing personal of the visitor in any collection, and keeps the others', async t => {
  const visitor = await visitorWithEverything(ana)
  await visitorWithEverything(bo)
  const stored = await visitors.findOne({ _id: visitor._id })
  t.equal(stored?.userAgent, 'Agent of Ana Erasable', 'the request headers were stored, so the erase must remove them')
  t.equal(stored?.livechatData.address, 'Street of Ana Erasable')
  const anaStrings = [ana.token, ana.name, ana.email, ana.phone, ana.username]
  t.ok((await documentsMentioning(anaStrings)).length >= 9, 'the visitor is all over the database before')
  const bobBefore = await documentsMentioning([bo.token, bo.name])

  const before = Date.now()
  const res = await eraseVisitor(app, ana.token)
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.same(Object.keys(body), ['visitor', 'success'])
  t.same(Object.keys(body.visitor), ['_id', 'ts'])
  t.equal(body.visitor._id, visitor._id)
  t.ok(Date.parse(body.visitor.ts) >= before, 'ts is the erase time')

  t.same(await documentsMentioning(anaStrings), [], 'no token, name, email, phone or username remains anywhere')
  const erased = await visitors.findOne({ _id: visitor._id })
  t.same(Object.keys(erased ?? {}).sort(), ['_id', '_updatedAt', 'activity', 'contactId', 'disabled', 'lastAgent', 'source'],
    'what Rocket.Chat\'s disableById keeps: its monthly active contacts count reads activity')
  t.equal(erased?.disabled, true)
  t.match(await contacts.findOne({ _id: `contact-${visitor._id}` as never }), { enabled: false, activity: ['2026-11'] }, 'the contact is disabled, as LivechatContacts.disableByVisitorId does')
  t.same([await uploads.countDocuments({ rid: { $in: ['ana-erasable-r1', 'ana-erasable-r2'] } }), await uploadFiles.countDocuments({ _id: { $in: ['ana-erasable-r1-upload', 'ana-erasable-r2-upload'] } as never }),
    await uploadChunks.countDocuments({ files_id: { $in: ['ana-erasable-r1-upload', 'ana-erasable-r2-upload'] } }), await readReceipts.countDocuments({ roomId: { $in: ['ana-erasable-r1', 'ana-erasable-r2'] } })],
  [0, 0, 0, 0], 'its uploads with their GridFS files, and its read receipts')
  t.equal(erased?._updatedAt.toISOString(), body.visitor.ts)
  t.same(await documentsMentioning([bo.token, bo.name]), bobBefore, 'another visitor keeps all of its data')
})

t.test('after the erase the token is unknown: GET and a second erase answer invalid-token; the token can register anew', async t => {
  t.same((await getVisitor(app, ana.token)).json(), invalidToken)
  const again = await eraseVisitor(app, ana.token)
  t.same([again.statusCode, again.json()], [400, invalidToken])
  const fresh = (await post(app, 'visitor', { visitor: { token: ana.token } })).json().visitor
  const erasedId = (await visitors.findOne({ disabled: true }))?._id
  t.not(fresh._id, erasedId, 'a new visitor, not the erased one')
  t.equal(await visitors.countDocuments({ token: ana.token }), 1)
})

t.test('a token that never registered: its navigation history goes, and the answer is still Rocket.Chat\'s invalid-token', async t => {
  for (const href of ['https://shop.example/a', 'https://shop.example/b']) {
    t.equal((await post(app, 'page.visited', { token: 'anonymous-1', pageInfo: pageInfo(href) })).statusCode, 200)
  }
  await post(app, 'page.visited', { token: 'anonymous-2', pageInfo: pageInfo('https://shop.example/other') })
  const res = await eraseVisitor(app, 'anonymous-1')
  t.same([res.statusCode, res.json()], [400, invalidToken])
  t.equal(await messages.countDocuments({ 'navigation.token': 'anonymous-1' }), 0, 'its history is gone')
  t.equal(await messages.countDocuments({ 'navigation.token': 'anonymous-2' }), 1, 'another token\'s stays')
})

t.test('visits recorded after an erase go with the next erase', async t => {
  await visitorWithEverything({ token: 'erase-again', name: 'Again', email: 'again@example.com', phone: '555-0009', username: 'again-1' })
  t.equal((await eraseVisitor(app, 'erase-again')).statusCode, 200)
  await post(app, 'page.visited', { token: 'erase-again', pageInfo: pageInfo('https://shop.example/after') })
  t.equal(await messages.countDocuments({ 'navigation.token': 'erase-again' }), 1, 'the erased token can still record visits')
  t.same((await eraseVisitor(app, 'erase-again')).json(), invalidToken)
  t.equal(await messages.countDocuments({ 'navigation.token': 'erase-again' }), 0, 'and the next erase removes them')
})

t.test('an unknown or malformed token gets invalid-token and changes nothing', async t => {
  const count = await visitors.countDocuments()
  for (const token of ['never-registered', 'bad%20token', '%24ne', 'x'.repeat(65)]) {
    const res = await eraseVisitor(app, token)
    t.same([res.statusCode, res.json()], [400, invalidToken], token)
  }
  t.equal(await visitors.countDocuments(), count)
})

const HAS_OPEN_ROOMS = {
  success: false,
  error: 'Cannot remove visitors with opened rooms [visitor-has-open-rooms]',
  errorType: 'visitor-has-open-rooms'
}

/**
 * Rocket.Chat closing a livechat room: `LivechatRooms.closeRoomById` (packages/models/src/models/LivechatRooms.ts),
 * with `LivechatInquiry.removeByRoomId` and `Subscriptions.removeByRoomId`, as its closeRoom does.
 */
async function closeRoomAsRocketChat (rid: string): Promise<void> {
  await rooms.updateOne({ _id: rid as never, t: 'l' }, {
    $set: {
      closedAt: new Date(),
      'metrics.chatDuration': 60,
      'metrics.serviceTimeDuration': 30,
      'v.status': 'offline',
      closer: 'user',
      closedBy: { _id: 'agent-1', username: 'agent.one' }
    },
    $unset: { open: 1 }
  })
  await inquiries.deleteMany({ rid })
  await subscriptions.deleteMany({ rid })
}

t.test('an open room refuses the erase and removes nothing, but the erase is recorded and the host told once', async t => {
  const cy: Person = { token: 'erase-cy', name: 'Cy Open', email: 'cy@example.com', phone: '555-0003', username: 'cy-open' }
  const visitor = await visitorWithEverything(cy, { openRoom: true })
  const pending: unknown[] = []
  t.teardown(app.livechat.on('visitorErasurePending', event => { pending.push(event) }))
  const otherDocuments = async () => (await documentsMentioning([cy.token, cy.name])).filter(text => !text.startsWith(`${DEFAULT_COLLECTIONS.visitors}:`))
  const before = await otherDocuments()

  const requested = Date.now()
  const res = await eraseVisitor(app, cy.token)
  t.same([res.statusCode, res.json()], [400, HAS_OPEN_ROOMS])
  t.same(await otherDocuments(), before, 'its rooms, messages, subscriptions, inquiries and history are all there')
  const stored = await visitors.findOne({ _id: visitor._id })
  t.match(stored, { token: cy.token, name: cy.name, username: cy.username }, 'the visitor too')
  t.ok(stored?.erasureRequestedAt.getTime() >= requested, 'with the time of the request')
  t.same(pending, [{ _id: visitor._id, requestedAt: stored?.erasureRequestedAt }])

  t.same([(await eraseVisitor(app, cy.token)).statusCode, pending.length], [400, 1], 'asked again: the same answer, no second event')
  t.same((await visitors.findOne({ _id: visitor._id }))?.erasureRequestedAt, stored?.erasureRequestedAt, 'the first request\'s time is kept')
  t.match((await getVisitor(app, cy.token)).json(), { visitor: { _id: visitor._id, name: cy.name } }, 'until the erase, the visitor works as before')
  t.equal((await app.inject({ url: `/api/v1/livechat/visitor/${cy.token}/export` })).json().visitor.erasureRequestedAt,
    stored?.erasureRequestedAt.toISOString(), 'the export shows the pending erasure')
  t.equal(await app.livechat.completePendingErasures(), 0, 'nothing to complete while the room is open')
  t.equal(await visitors.countDocuments({ token: cy.token }), 1)
})

t.test('a pending erasure is completed by the periodic task once Rocket.Chat has closed the rooms', async t => {
  const periodic = await livechatApp(t, db, { decorator: 'periodic', expiryCleanupIntervalMs: 100 })
  const service = (periodic as unknown as { periodic: typeof app.livechat }).periodic
  const erased: Array<{ _id: string }> = []
  t.teardown(service.on('visitorErased', event => { erased.push(event) }))
  const visitor = await visitors.findOne({ token: 'erase-cy' })
  await wait(300)
  t.equal(await visitors.countDocuments({ token: 'erase-cy' }), 1, 'runs of the task leave it while the room is open')

  await closeRoomAsRocketChat('cy-open-r1')
  const deadline = Date.now() + 10_000
  while (erased.length === 0 && Date.now() < deadline) await wait(50)
  t.same(erased.map(event => event._id), [visitor?._id], 'the host is told as for any erase')
  t.same(await documentsMentioning(['erase-cy', 'Cy Open', 'cy@example.com', '555-0003', 'cy-open']), [], 'all of it went')
  t.same(Object.keys(await visitors.findOne({ _id: visitor?._id }) ?? {}).sort(), ['_id', '_updatedAt', 'activity', 'contactId', 'disabled', 'lastAgent', 'source'])
})

t.test('completePendingErasures erases now, and skips those whose rooms are still open', async t => {
  const people: Person[] = ['kim', 'lou'].map((name, i) => ({ token: `erase-${name}`, name: `${name} Pending`, email: `${name}@example.com`, phone: `555-010${i}`, username: `${name}-pending` }))
  for (const person of people) {
    await visitorWithEverything(person, { openRoom: true })
    t.equal((await eraseVisitor(app, person.token)).statusCode, 400)
  }
  await closeRoomAsRocketChat('kim-pending-r1')
  t.equal(await app.livechat.completePendingErasures(), 1)
  t.same(await documentsMentioning(['erase-kim', 'kim Pending']), [])
  t.equal(await visitors.countDocuments({ token: 'erase-lou', erasureRequestedAt: { $exists: true } }), 1, 'the other still waits')
  await closeRoomAsRocketChat('lou-pending-r1')
  t.equal(await app.livechat.completePendingErasures(), 1)
  t.equal(await app.livechat.completePendingErasures(), 0)
})

t.test('with allowEraseWithOpenRooms the host lets open rooms go too', async t => {
  const permissive = await livechatApp(t, db, { allowEraseWithOpenRooms: true, decorator: 'permissive' })
  const dee: Person = { token: 'erase-dee', name: 'Dee Open', email: 'dee@example.com', phone: '555-0004', username: 'dee-open' }
  await visitorWithEverything(dee, { openRoom: true })
  t.equal((await eraseVisitor(permissive, dee.token)).statusCode, 200)
  t.same(await documentsMentioning([dee.token, dee.name, dee.email, dee.phone, dee.username]), [])
})

t.test('rooms are found by the visitor id as well as by the token', async t => {
  const eve: Person = { token: 'erase-eve', name: 'Eve Byid', email: 'eve@example.com', phone: '555-0005', username: 'eve-byid' }
  const { visitor } = (await post(app, 'visitor', { visitor: eve })).json()
  await rooms.insertOne({ _id: 'eve-room', t: 'l', open: false, fname: eve.name, v: { _id: visitor._id } } as never)
  await messages.insertOne({ _id: 'eve-room-m', rid: 'eve-room', msg: `from ${eve.name}` } as never)
  t.equal((await eraseVisitor(app, eve.token)).statusCode, 200)
  t.same(await documentsMentioning([eve.name]), [])
})

t.test('inquiries naming the token go even without a room', async t => {
  await post(app, 'visitor', { visitor: { token: 'erase-inq', name: 'Inq Only' } })
  await inquiries.insertOne({ _id: 'lonely-inquiry', name: 'Inq Only', v: { token: 'erase-inq' } } as never)
  t.equal((await eraseVisitor(app, 'erase-inq')).statusCode, 200)
  t.equal(await inquiries.countDocuments({ _id: 'lonely-inquiry' as never }), 0)
})

t.test('an erase that fails halfway is finished by repeating it', async t => {
  const fay: Person = { token: 'erase-fay', name: 'Fay Halfway', email: 'fay@example.com', phone: '555-0006', username: 'fay-halfway' }
  await visitorWithEverything(fay)
  const failing = withCollectionMethod(db, 'updateOne', () => async () => { throw new Error('connection reset') })
  const broken = await livechatApp(t, failing, { decorator: 'broken' })
  t.equal((await eraseVisitor(broken, fay.token)).statusCode, 500)
  t.equal(await visitors.countDocuments({ token: fay.token }), 1, 'the visitor still holds its token, so the erase can be repeated')
  t.equal(await rooms.countDocuments({ 'v.token': fay.token }), 0, 'what went before the failure is gone')
  t.equal((await eraseVisitor(app, fay.token)).statusCode, 200)
  t.same(await documentsMentioning([fay.token, fay.name, fay.email, fay.phone, fay.username]), [])
})

t.test('a room or a page visit written while the erase runs goes too', async t => {
  const gus: Person = { token: 'erase-gus', name: 'Gus Latecomer', email: 'gus@example.com', phone: '555-0007', username: 'gus-late' }
  await visitorWithEverything(gus)
  const racing = withCollectionMethod(db, 'updateOne', original => async (...args) => {
    await rooms.insertOne({ _id: 'gus-new-room', t: 'l', open: true, fname: gus.name, v: { token: gus.token } } as never)
    await messages.insertOne({ _id: 'gus-new-visit', t: 'livechat_navigation_history', msg: gus.name, navigation: { token: gus.token } } as never)
    return original(...args)
  })
  const raced = await livechatApp(t, racing, { decorator: 'raced' })
  t.equal((await eraseVisitor(raced, gus.token)).statusCode, 200)
  t.same(await documentsMentioning([gus.token, gus.name, gus.email, gus.phone, gus.username]), [])
})
