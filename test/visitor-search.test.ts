import t from 'tap'
import { ObjectId } from 'mongodb'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { agentGet } from './helpers/http.js'

// visitors.search over visitors and custom-field definitions as Rocket.Chat writes them; each
// helper below replays one of its writes, with its filter and update.
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { authorizeAgent: authorizeTestAgents })
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
const definitions = db.collection(DEFAULT_COLLECTIONS.customFields)

interface Guest { token: string, name: string, username: string, ts: Date, email?: string, phone?: string }

/**
 * apps/meteor/app/livechat/server/lib/Visitors.ts, Visitors.registerGuest, for a new token: through
 * LivechatVisitors.updateOneByIdOrToken, an upsert on {token} that $sets a new ObjectId's hex as
 * _id, the e-mail trimmed and lowercased, the phone as sent, `ts` the time of registration.
 */
async function registerGuest ({ token, name, username, ts, email, phone }: Guest): Promise<string> {
  const _id = new ObjectId().toHexString()
  await visitors.updateOne({ token }, {
    $set: {
      token,
      status: 'online',
      ...(phone !== undefined && { phone: [{ phoneNumber: phone }] }),
      name,
      ...(email !== undefined && { visitorEmails: [{ address: email.trim().toLowerCase() }] }),
      _id,
      username,
      ts
    }
  }, { upsert: true })
  return _id
}

/** The livechat.newRoom callback `livechat-save-last-chat`: LivechatVisitors.setLastChatById(guestId, {_id: rid, ts: new Date()}). */
const setLastChatById = (_id: string, lastChat: { _id: string, ts: Date }) => visitors.updateOne({ _id: _id as never }, { $set: { lastChat } })

/** packages/models/src/models/LivechatVisitors.ts, saveGuestById: an agent's edit; the e-mail trimmed but kept in its letter case. */
const saveGuestById = (_id: string, { email, phone }: { email: string, phone: string }) =>
  visitors.updateOne({ _id: _id as never }, { $set: { visitorEmails: [{ address: email.trim() }], phone: [{ phoneNumber: phone.trim() }] } })

/** LivechatVisitors.updateLivechatDataByToken: `livechatData.<key>` $set by token (a key with a dot nests). */
const updateLivechatDataByToken = (token: string, key: string, value: string) => visitors.updateOne({ token }, { $set: { [`livechatData.${key}`]: value } })

/** LivechatVisitors.disableById: the erase, which keeps the document but unsets what identifies the visitor. */
const disableById = (_id: string) => visitors.updateOne({ _id: _id as never }, {
  $set: { disabled: true },
  $unset: { department: 1, contactManager: 1, token: 1, visitorEmails: 1, phone: 1, name: 1, livechatData: 1, lastChat: 1, ip: 1, host: 1, userAgent: 1, username: 1, ts: 1, status: 1 }
})

/** packages/models/src/models/LivechatCustomField.ts, createOrUpdateCustomField: {_id: field, label, scope, visibility, ...extraData}. */
const createOrUpdateCustomField = (field: string, { scope = 'visitor', visibility = 'visible', searchable = true } = {}) =>
  definitions.insertOne({ _id: field as never, label: field, scope, visibility, searchable, regexp: '', type: 'input', required: false, defaultValue: '', options: '', public: false })

async function search (query: string) {
  const res = await agentGet(app, `visitors.search?${query}`, 'agent')
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json() as { visitors: Array<{ _id: string, name?: string, username?: string, phone?: unknown[], visitorEmails?: unknown[] }>, count: number, offset: number, total: number }
}
const idsOf = (answer: { visitors: Array<{ _id: string }> }) => answer.visitors.map(visitor => visitor._id)
const sorted = (field: string, direction: 1 | -1) => `sort=${encodeURIComponent(JSON.stringify({ [field]: direction }))}`
const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 0, 0, seconds))

t.test('term= lists every visitor that is not erased, newest first, as Rocket.Chat\'s e2e test asks', async t => {
  const older = await registerGuest({ token: 'tok-all-1', name: 'All One', username: 'guest-1', ts: at(1), email: 'one@all.example', phone: '+55 1' })
  const newer = await registerGuest({ token: 'tok-all-2', name: 'All Two', username: 'guest-2', ts: at(2), email: 'two@all.example', phone: '+55 2' })
  await disableById(await registerGuest({ token: 'tok-all-3', name: 'All Three', username: 'guest-3', ts: at(3) }))

  const answer = await search('term=')
  t.same([idsOf(answer), answer.count, answer.total], [[newer, older], 2, 2])
  // apps/meteor/tests/end-to-end/api/livechat/09-visitors.ts, "should return a list of visitors when term is an empty string".
  for (const field of ['_id', 'username', 'name', 'phone', 'visitorEmails']) t.ok(field in answer.visitors[0], field)
  t.same(idsOf(await search('term=&count=0&offset=1')), [older], 'count=0 is the default page')

  const refused = await commandsDuring(client, async () => {
    const res = await agentGet(app, 'visitors.search', 'agent')
    t.same([res.statusCode, res.json().success, res.json().errorType], [400, false, 'invalid-params'], 'without term, as Rocket.Chat\'s "should fail if term is not on query params"')
  })
  t.same(refused, [], 'and no command reached the database')
})

t.test('sort is Rocket.Chat\'s JSON of one field, in either direction, for each column of its contact directory', async t => {
  // Four visitors whose order differs by every field and direction: rank[field][i] is visitor i's place.
  const rank: Record<string, number[]> = {
    ts: [0, 1, 2, 3],
    'lastChat.ts': [2, 0, 3, 1],
    name: [3, 1, 0, 2],
    username: [1, 3, 2, 0],
    phone: [0, 2, 1, 3],
    'visitorEmails.address': [1, 0, 3, 2]
  }
  const letters = ['a', 'b', 'c', 'd']
  const ids: string[] = []
  for (let i = 0; i < 4; i++) {
    const _id = await registerGuest({
      token: `tok-sorted-${i}`,
      name: `Sorted ${letters[rank.name[i]]}`,
      username: `sorted-${letters[rank.username[i]]}`,
      ts: at(10 + rank.ts[i]),
      email: `${letters[rank['visitorEmails.address'][i]]}@sorted.example`,
      phone: `+55 1${rank.phone[i]}`
    })
    await setLastChatById(_id, { _id: `room-sorted-${i}`, ts: at(20 + rank['lastChat.ts'][i]) })
    ids.push(_id)
  }
  const inOrder = (ranks: number[]) => [...ids].sort((a, b) => ranks[ids.indexOf(a)] - ranks[ids.indexOf(b)])

  for (const [field, ranks] of Object.entries(rank)) {
    t.same(idsOf(await search(`term=Sorted&${sorted(field, 1)}`)), inOrder(ranks), `${field} ascending`)
    t.same(idsOf(await search(`term=Sorted&${sorted(field, -1)}`)), inOrder(ranks).reverse(), `${field} descending`)
  }
  t.same(idsOf(await search('term=Sorted')), inOrder(rank.ts).reverse(), 'without sort, newest first')
  t.same(idsOf(await search(`term=Sorted&${sorted('name', 1)}&count=2&offset=1`)), inOrder(rank.name).slice(1, 3), 'a sorted page')
})

// apps/meteor/tests/end-to-end/api/livechat/11-livechat.ts: each visitor's room opened in turn.
t.test('Rocket.Chat\'s e2e "should bring sorted data by last chat time"', async t => {
  const past = await registerGuest({ token: 'tok-past', name: 'VisitorInPast', username: 'guest-10', ts: at(30) })
  await setLastChatById(past, { _id: 'room-past', ts: at(31) })
  const present = await registerGuest({ token: 'tok-present', name: 'VisitorInPresent', username: 'guest-11', ts: at(32) })
  await setLastChatById(present, { _id: 'room-present', ts: at(33) })

  t.equal((await search('term=VisitorIn&sort=%7B%22lastChat.ts%22%3A1%7D')).visitors[0].name, 'VisitorInPast')
  t.equal((await search('term=VisitorIn&sort=%7B%22lastChat.ts%22%3A-1%7D')).visitors[0].name, 'VisitorInPresent')
})

t.test('a sort or a parameter the route does not take is a 400 that reaches no database', async t => {
  for (const query of [
    'term=a&sort=%7B%22lastChat.ts%22%3A0%7D', 'term=a&sort=%7B%22%24where%22%3A1%7D', 'term=a&sort=%7B%22livechatData.address%22%3A1%7D',
    'term=a&sort=%7B%22name%22%3A1%2C%22ts%22%3A1%7D', 'term=a&sort=name', 'term=a&sort=%7B%22lastchat%22%3A1%7D',
    'term=a&text=nel', 'term[$ne]=x', 'term=a&sort[$gt]=1', 'term=a&count=-1'
  ]) {
    let answer: { success?: boolean, errorType?: string } = {}
    const commands = await commandsDuring(client, async () => { answer = (await agentGet(app, `visitors.search?${query}`, 'agent')).json() })
    t.same([answer.success, answer.errorType, commands], [false, 'invalid-params', []], query)
  }
})

t.test('the exact e-mail and phone Rocket.Chat matches are found, as its e2e tests ask, beside our prefix', async t => {
  const ana = await registerGuest({ token: 'tok-exact', name: 'Exact Ana', username: 'guest-20', ts: at(40) })
  await saveGuestById(ana, { email: ' Ana.Souza@Example.com ', phone: '+55 51 5555-5555 ext. 12' })
  const jose = await registerGuest({ token: 'tok-jose', name: 'Exact José', username: 'guest-21', ts: at(41), email: 'josé@exämple.com', phone: '+351 21 000 0000' })

  // 09-visitors.ts, "should find a visitor by email" and "by phone": total 1, the address or number answered.
  const byEmail = await search(`term=${encodeURIComponent('Ana.Souza@Example.com')}`)
  t.same([byEmail.total, byEmail.visitors[0]._id, byEmail.visitors[0].visitorEmails], [1, ana, [{ address: 'Ana.Souza@Example.com' }]])
  const byPhone = await search(`term=${encodeURIComponent('+55 51 5555-5555 ext. 12')}`)
  t.same([byPhone.total, byPhone.visitors[0]._id, byPhone.visitors[0].phone], [1, ana, [{ phoneNumber: '+55 51 5555-5555 ext. 12' }]])
  t.same(idsOf(await search(`term=${encodeURIComponent('josé@exämple.com')}`)), [jose], 'an internationalised address')
  t.same(idsOf(await search(`term=${encodeURIComponent('+351 21 000 0000')}`)), [jose])

  t.same(idsOf(await search('term=ana.souza%40')), [ana], 'a prefix, in any letter case: the plugin\'s own match')
  t.same(idsOf(await search('term=Souza%40Example.com')), [], 'not a part from the middle')
})

t.test('searchable visitor custom fields are searched by prefix, only by a name safe in a field path', async t => {
  await createOrUpdateCustomField('address')
  await createOrUpdateCustomField('riskNote', { visibility: 'hidden' })
  await createOrUpdateCustomField('internal', { searchable: false })
  await createOrUpdateCustomField('topic', { scope: 'room' })
  await createOrUpdateCustomField('plan.tier')
  const fields: Record<string, string> = { address: 'Rocket.Chat street', riskNote: 'Rocket.Chat risk', internal: 'Rocket.Chat internal', topic: 'Rocket.Chat topic', 'plan.tier': 'Rocket.Chat gold' }
  const ids: Record<string, string> = {}
  for (const [key, value] of Object.entries(fields)) {
    const token = `tok-cf-${key.replace('.', '-')}`
    ids[key] = await registerGuest({ token, name: `Custom ${key}`, username: `custom-${key.replace('.', '-')}`, ts: at(50 + Object.keys(ids).length) })
    await updateLivechatDataByToken(token, key, value)
  }

  const found = await search('term=rocket.chat')
  t.same(idsOf(found), [ids.riskNote, ids.address], 'the searchable visitor fields, hidden ones too (agents see them)')
  t.same(found.visitors.map(visitor => (visitor as { livechatData?: unknown }).livechatData), [{ riskNote: 'Rocket.Chat risk' }, { address: 'Rocket.Chat street' }])
  t.same(idsOf(await search('term=street')), [], 'a prefix, not a part from the middle')
  t.same(idsOf(await search('term=Rocket.Chat%20gold')), [], 'a definition named plan.tier is no field path: its nested value is not searched')
  const objectId = new ObjectId()
  await definitions.insertOne({ _id: objectId, label: 'not a name', scope: 'visitor', visibility: 'visible', searchable: true })
  await updateLivechatDataByToken('tok-cf-address', objectId.toHexString(), 'Rocket.Chat by an ObjectId')
  t.same(idsOf(await search('term=Rocket.Chat%20by')), [], 'nor is a definition whose _id is not a string')

  await definitions.updateOne({ _id: 'address' as never }, { $set: { searchable: false, _updatedAt: new Date() } })
  t.same(idsOf(await search('term=rocket.chat')), [ids.riskNote], 'a definition no longer searchable, on the next request')
})

t.test('at most 20 searchable fields are searched, the first by name', async t => {
  await definitions.deleteMany({})
  for (let i = 0; i <= 20; i++) await createOrUpdateCustomField(`cf-${String(i).padStart(2, '0')}`)
  const twentieth = await registerGuest({ token: 'tok-cap-19', name: 'Capped 19', username: 'cap-19', ts: at(60) })
  await updateLivechatDataByToken('tok-cap-19', 'cf-19', 'Over the cap? no')
  await registerGuest({ token: 'tok-cap-20', name: 'Capped 20', username: 'cap-20', ts: at(61) })
  await updateLivechatDataByToken('tok-cap-20', 'cf-20', 'Over the cap? yes')

  t.same(idsOf(await search(`term=${encodeURIComponent('Over the cap?')}`)), [twentieth])
})
