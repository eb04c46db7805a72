import t from 'tap'
import type { FindCursor } from 'mongodb'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { withCollectionMethod } from './helpers/faults.js'
import { eraseVisitor, post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const definitions = db.collection(DEFAULT_COLLECTIONS.customFields)
await definitions.insertMany([
  { _id: 'address', scope: 'visitor', visibility: 'visible' },
  { _id: 'cpf', scope: 'visitor', visibility: 'visible', regexp: '^\\d{3}$' },
  { _id: 'secret', scope: 'visitor', visibility: 'hidden' },
  { _id: 'topic', scope: 'room', visibility: 'visible' }
] as never[])

const setField = (body: unknown) => post(app, 'custom.field', body)
const setFields = (body: unknown) => post(app, 'custom.fields', body)
const livechatDataOf = async (token: string) => (await visitors.findOne({ token }))?.livechatData
const topicsOf = async (token: string) => Object.fromEntries(
  (await rooms.find({ 'v.token': token }).toArray()).map(room => [room._id, room.livechatData?.topic])
)

async function visitorWithRooms (token: string) {
  await post(app, 'visitor', { visitor: { token } })
  await rooms.insertMany([
    { _id: `${token}-open`, t: 'l', open: true, v: { token } },
    { _id: `${token}-closed`, t: 'l', open: false, v: { token } }
  ] as never[])
}

t.test('custom.field sets a visitor-scope field and echoes it', async t => {
  await visitorWithRooms('cf-1')
  const res = await setField({ token: 'cf-1', key: 'address', value: 'Rua A', overwrite: false })
  t.same([res.statusCode, res.json()], [200, { field: { key: 'address', value: 'Rua A', overwrite: false }, success: true }])
  t.same(await livechatDataOf('cf-1'), { address: 'Rua A' })
  t.same(await topicsOf('cf-1'), { 'cf-1-open': undefined, 'cf-1-closed': undefined }, 'visitor fields stay off the rooms')
})

t.test('overwrite is required by custom.field and by each field of custom.fields; without it nothing reaches the database', async t => {
  // Rocket.Chat's rest-typings (omnichannel.ts): POSTLivechatCustomFieldParamsSchema requires
  // token, key, value and overwrite; POSTLivechatCustomFieldsParamsSchema each field's three.
  for (const [route, send, field] of [
    ['custom.field', () => setField({ token: 'cf-1', key: 'address', value: 'Rua X' }), 'overwrite'],
    ['custom.fields', () => setFields({ token: 'cf-1', customFields: [{ key: 'address', value: 'Rua X' }] }), 'customFields.0.overwrite']
  ] as const) {
    let res: Awaited<ReturnType<typeof setField>> | undefined
    const commands = await commandsDuring(client, async () => { res = await send() })
    t.match([res?.statusCode, res?.json()], [400, { success: false, errorType: 'invalid-params', error: new RegExp(`^${field.replaceAll('.', '\\.')}\\b`) }], route)
    t.same(commands, [], `${route}: no command`)
  }
  t.same(await livechatDataOf('cf-1'), { address: 'Rua A' })
})

t.test('without overwrite a stored value stays, even an empty string or null, and a missing one is set; with overwrite it is replaced', async t => {
  // Rocket.Chat's LivechatVisitors.updateLivechatDataByToken (packages/models): without overwrite it
  // writes nothing when `typeof livechatData[key] !== 'undefined'`.
  await setField({ token: 'cf-1', key: 'address', value: 'Rua B', overwrite: false })
  t.same(await livechatDataOf('cf-1'), { address: 'Rua A' })
  await setField({ token: 'cf-1', key: 'address', value: 'Rua C', overwrite: true })
  t.same(await livechatDataOf('cf-1'), { address: 'Rua C' })
  await visitors.updateOne({ token: 'cf-1' }, { $set: { 'livechatData.cpf': '' } })
  await setField({ token: 'cf-1', key: 'cpf', value: '123', overwrite: false })
  t.same(await livechatDataOf('cf-1'), { address: 'Rua C', cpf: '' }, 'an empty string is a value')
  await visitors.updateOne({ token: 'cf-1' }, { $set: { 'livechatData.cpf': null } })
  await setFields({ token: 'cf-1', customFields: [{ key: 'cpf', value: '456', overwrite: false }] })
  t.same(await livechatDataOf('cf-1'), { address: 'Rua C', cpf: null }, 'so is null, through custom.fields too')
  await setField({ token: 'cf-1', key: 'cpf', value: '123', overwrite: true })
  t.same(await livechatDataOf('cf-1'), { address: 'Rua C', cpf: '123' })
})

t.test('a room-scope field goes to the visitor\'s open rooms only, with the same overwrite rule', async t => {
  const res = await setField({ token: 'cf-1', key: 'topic', value: 'billing', overwrite: false })
  t.equal(res.statusCode, 200, res.body)
  t.same(await topicsOf('cf-1'), { 'cf-1-open': 'billing', 'cf-1-closed': undefined })
  t.notOk('topic' in await livechatDataOf('cf-1'), 'room fields stay off the visitor')
  await setField({ token: 'cf-1', key: 'topic', value: 'sales', overwrite: false })
  t.same(await topicsOf('cf-1'), { 'cf-1-open': 'billing', 'cf-1-closed': undefined })
  await setField({ token: 'cf-1', key: 'topic', value: 'sales', overwrite: true })
  t.same(await topicsOf('cf-1'), { 'cf-1-open': 'sales', 'cf-1-closed': undefined })
  // Rocket.Chat's LivechatRooms.updateDataByToken: the same `typeof ... !== 'undefined'` rule.
  await rooms.updateOne({ _id: 'cf-1-open' as never }, { $set: { 'livechatData.topic': '' } })
  await setField({ token: 'cf-1', key: 'topic', value: 'billing', overwrite: false })
  t.same(await topicsOf('cf-1'), { 'cf-1-open': '', 'cf-1-closed': undefined }, 'an empty string stays on a room too')
  await setField({ token: 'cf-1', key: 'topic', value: 'sales', overwrite: true })
})

// Rocket.Chat's custom-fields.ts (setCustomFields, setMultipleCustomFields): `throw new
// Error('invalid-custom-field')` for a key without a definition, answered as the bare text.
t.test('an undefined or hidden key is Rocket.Chat\'s bare "invalid-custom-field", a value failing the regexp is invalid-custom-field-value; nothing is written', async t => {
  const cases: Array<[object, string, string]> = [
    [{ key: 'nope', value: 'x', overwrite: true }, 'invalid-custom-field', 'invalid-custom-field'],
    [{ key: 'secret', value: 'x', overwrite: true }, 'invalid-custom-field', 'invalid-custom-field'],
    [{ key: 'cpf', value: '12a', overwrite: true }, '[error-invalid-custom-field-value]', 'error-invalid-custom-field-value']
  ]
  for (const [field, error, errorType] of cases) {
    const res = await setField({ token: 'cf-1', ...field })
    t.same([res.statusCode, res.json()], [400, { success: false, error, errorType }], JSON.stringify(field))
  }
  t.same(await livechatDataOf('cf-1'), { address: 'Rua C', cpf: '123' })
})

t.test('a key of any text selects a definition or nothing: never a field path, an operator or a prototype', async t => {
  // A definition written past the plugin, with a name that would be a path: it selects nothing.
  await definitions.insertOne({ _id: 'a.b', scope: 'visitor', visibility: 'visible' } as never)
  t.teardown(() => definitions.deleteOne({ _id: 'a.b' } as never))
  const before = await visitors.findOne({ token: 'cf-1' })
  for (const key of ['a.b', '$set', 'livechatData.address', '__proto__', 'constructor', 'prototype', 'josé', 'a b']) {
    const one = await setField({ token: 'cf-1', key, value: 'x', overwrite: true })
    const list = await setFields({ token: 'cf-1', customFields: [{ key, value: 'x', overwrite: true }] })
    for (const res of [one, list]) t.same([res.statusCode, res.json()], [400, { success: false, error: 'invalid-custom-field', errorType: 'invalid-custom-field' }], key)
  }
  t.same(await visitors.findOne({ token: 'cf-1' }), before, 'the visitor is unchanged')
  t.same(await topicsOf('cf-1'), { 'cf-1-open': 'sales', 'cf-1-closed': undefined }, 'and its rooms')
  t.equal(({} as Record<string, unknown>).x, undefined, 'no prototype took the value')
})

// Rocket.Chat's customField.ts (custom.field and custom.fields): findGuest(token) first, then
// `throw new Error('invalid-token')`, which its API answers as the bare text.
const BARE_INVALID_TOKEN = { success: false, error: 'invalid-token', errorType: 'invalid-token' }

t.test('an unknown token is Rocket.Chat\'s bare "invalid-token" and writes nowhere, not even on rooms that name it', async t => {
  await rooms.insertOne({ _id: 'ghost-open', t: 'l', open: true, v: { token: 'ghost' } } as never)
  for (const res of [
    await setField({ token: 'ghost', key: 'topic', value: 'x', overwrite: true }),
    await setFields({ token: 'ghost', customFields: [{ key: 'topic', value: 'x', overwrite: true }] })
  ]) {
    t.same([res.statusCode, res.json()], [400, BARE_INVALID_TOKEN])
  }
  t.same(await topicsOf('ghost'), { 'ghost-open': undefined })
})

t.test('the token is checked first: with a token nobody has, definitions, required fields and regexps cannot be probed', async t => {
  const probes: Array<[string, () => ReturnType<typeof setField>]> = [
    ['a key with no definition', () => setField({ token: 'ghost', key: 'nope', value: 'x', overwrite: true })],
    ['a hidden key', () => setField({ token: 'ghost', key: 'secret', value: 'x', overwrite: true })],
    ['a value failing the regexp', () => setField({ token: 'ghost', key: 'cpf', value: '12a', overwrite: true })],
    ['a value passing it', () => setField({ token: 'ghost', key: 'cpf', value: '123', overwrite: true })],
    ['a list without a required field', () => setFields({ token: 'ghost', customFields: [{ key: 'address', value: 'x', overwrite: true }] })],
    ['an empty list', () => setFields({ token: 'ghost', customFields: [] })]
  ]
  await definitions.insertOne({ _id: 'probe-required', scope: 'visitor', visibility: 'visible', required: true } as never)
  t.teardown(() => definitions.deleteOne({ _id: 'probe-required' } as never))
  for (const [probe, send] of probes) {
    let res: Awaited<ReturnType<typeof setField>> | undefined
    const commands = await commandsDuring(client, async () => { res = await send() })
    t.same([res?.statusCode, res?.json()], [400, BARE_INVALID_TOKEN], probe)
    t.equal(commands.length, 1, `${probe}: one command, the token's lookup (${commands.join(', ')})`)
  }
})

t.test('a visitor erased between the token\'s lookup and the write is the same "invalid-token", and nothing is written', async t => {
  await post(app, 'visitor', { visitor: { token: 'cf-erased' } })
  // The definitions are read after the token's lookup: the visitor is erased (by the other app) just before.
  const erasedMeanwhile = withCollectionMethod(db, 'find', original => (...args: never[]) => {
    const [filter] = args as Array<{ scope?: unknown }>
    if (filter.scope === undefined) return original(...args)
    return { toArray: async () => { await eraseVisitor(app, 'cf-erased'); return (original(...args) as FindCursor).toArray() } }
  })
  const racedApp = await livechatApp(t, erasedMeanwhile, { decorator: 'raced' })
  const res = await post(racedApp, 'custom.field', { token: 'cf-erased', key: 'address', value: 'Rua E', overwrite: true })
  t.same([res.statusCode, res.json()], [400, BARE_INVALID_TOKEN])
  t.equal(await visitors.countDocuments({ 'livechatData.address': 'Rua E' }), 0)
})

t.test('custom.fields sets several, in both scopes, and answers them with Rocket.Chat\'s "Key"', async t => {
  await visitorWithRooms('cf-2')
  const res = await setFields({
    token: 'cf-2',
    customFields: [{ key: 'address', value: 'Rua D', overwrite: false }, { key: 'topic', value: 'support', overwrite: true }]
  })
  t.same([res.statusCode, res.json()], [200, {
    fields: [{ Key: 'address', value: 'Rua D', overwrite: false }, { Key: 'topic', value: 'support', overwrite: true }],
    success: true
  }])
  t.same(await livechatDataOf('cf-2'), { address: 'Rua D' })
  t.same(await topicsOf('cf-2'), { 'cf-2-open': 'support', 'cf-2-closed': undefined })
})

t.test('custom.fields with an empty list is Rocket.Chat\'s bare "invalid-custom-field", once the token is known', async t => {
  // Rocket.Chat's setMultipleCustomFields: no definition among the keys sent, `throw new Error('invalid-custom-field')`.
  const before = await visitors.findOne({ token: 'cf-2' })
  const empty = await setFields({ token: 'cf-2', customFields: [] })
  t.same([empty.statusCode, empty.json()], [400, { success: false, error: 'invalid-custom-field', errorType: 'invalid-custom-field' }])
  t.same(await visitors.findOne({ token: 'cf-2' }), before, 'nothing is written')
})

t.test('custom.fields checks every field before writing any; required definitions are checked among those sent only', async t => {
  const bad = await setFields({ token: 'cf-2', customFields: [{ key: 'address', value: 'Rua E', overwrite: true }, { key: 'nope', value: 'x', overwrite: true }] })
  t.equal(bad.json().errorType, 'invalid-custom-field')
  t.same(await livechatDataOf('cf-2'), { address: 'Rua D' }, 'the valid field before the bad one was not written')

  await definitions.insertMany([
    { _id: 'plan', scope: 'visitor', visibility: 'visible', required: true },
    { _id: 'queue', scope: 'room', visibility: 'visible', required: true }
  ] as never[])
  t.teardown(() => definitions.deleteMany({ _id: { $in: ['plan', 'queue'] } } as never))
  // Rocket.Chat's setMultipleCustomFields checks the required visitor definitions among the
  // definitions of the keys sent (validateRequiredCustomFields on dbFields), so never one not sent.
  const withoutThem = await setFields({ token: 'cf-2', customFields: [{ key: 'address', value: 'Rua F', overwrite: true }] })
  t.same([withoutThem.statusCode, withoutThem.json()], [200, { fields: [{ Key: 'address', value: 'Rua F', overwrite: true }], success: true }])
  t.same(await livechatDataOf('cf-2'), { address: 'Rua F' })
})

t.test('a hidden definition is never required; a room-scope value must match its regexp too', async t => {
  await definitions.insertMany([
    { _id: 'internal', scope: 'visitor', visibility: 'hidden', required: true },
    { _id: 'ticket', scope: 'room', visibility: 'visible', regexp: '^T-\\d+$' }
  ] as never[])
  t.teardown(() => definitions.deleteMany({ _id: { $in: ['internal', 'ticket'] } } as never))
  t.equal((await setFields({ token: 'cf-2', customFields: [{ key: 'address', value: 'Rua H', overwrite: true }] })).statusCode, 200)
  const registered = await post(app, 'visitor', { visitor: { token: 'cf-2', customFields: [{ key: 'address', value: 'Rua I', overwrite: true }] } })
  t.equal(registered.statusCode, 200, 'registration does not demand it either')
  const bad = await setField({ token: 'cf-2', key: 'ticket', value: 'nope', overwrite: true })
  t.equal(bad.json().errorType, 'error-invalid-custom-field-value')
  t.equal((await setField({ token: 'cf-2', key: 'ticket', value: 'T-12', overwrite: true })).statusCode, 200)
  t.equal((await rooms.findOne({ _id: 'cf-2-open' as never }))?.livechatData.ticket, 'T-12')
})

t.test('malformed bodies are invalid-params', async t => {
  for (const body of [
    { token: 'cf-1', key: '', value: 'x', overwrite: true },
    { token: 'cf-1', key: 'k'.repeat(65), value: 'x', overwrite: true },
    { token: 'cf-1', key: 'a\u202Eb', value: 'x', overwrite: true },
    { token: 'cf-1', key: 'a\u0000b', value: 'x', overwrite: true },
    { token: 'cf-1', key: { $ne: null }, value: 'x', overwrite: true },
    { token: 'cf-1', key: 'address', value: { $ne: null }, overwrite: true },
    { token: 'cf-1', key: 'address', value: 'x', overwrite: 'yes' },
    { token: ['cf-1'], key: 'address', value: 'x', overwrite: true }
  ]) {
    t.equal((await setField(body)).json().errorType, 'invalid-params', JSON.stringify(body))
  }
  const tooMany = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'x', overwrite: true }))
  t.match((await setFields({ token: 'cf-1', customFields: tooMany })).json(), { errorType: 'invalid-params', error: /^customFields/ })
  t.equal((await setFields({ token: 'cf-1' })).json().errorType, 'invalid-params')
})
