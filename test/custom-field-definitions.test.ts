import t from 'tap'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { authorizeTestAgents, FORBIDDEN_ANSWER, UNAUTHENTICATED_ANSWER } from './helpers/agents.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { withCollectionMethod } from './helpers/faults.js'
import { agentGet, post } from './helpers/http.js'

// The custom-field definitions, with Rocket.Chat's paths, bodies, answers and error strings
// (apps/meteor/app/livechat/server/api/v1/customField.ts; LivechatCustomField.createOrUpdateCustomField).
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db, { authorizeAgent: authorizeTestAgents })
const definitions = db.collection(DEFAULT_COLLECTIONS.customFields)

function agentPost (route: string, body: unknown, bearer = 'manager') {
  return app.inject({ method: 'POST', url: `/api/v1/livechat/${route}`, headers: { authorization: `Bearer ${bearer}` }, payload: body as object })
}

const save = (customFieldId: string | null, customFieldData: Record<string, unknown>) => agentPost('custom-fields.save', { customFieldId, customFieldData })
const minimal = (field: string, extra: Record<string, unknown> = {}) => ({ field, label: `Label of ${field}`, scope: 'visitor' as const, visibility: 'visible' as const, ...extra })

t.test('custom-fields.save creates a definition whose _id is its name, as Rocket.Chat stores it, and answers it', async t => {
  const res = await save(null, minimal('cpf', { regexp: '^\\d{11}$', required: true, searchable: true, type: 'input', defaultValue: '', options: '', public: false }))
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), {
    customField: { _id: 'cpf', label: 'Label of cpf', scope: 'visitor', visibility: 'visible', regexp: '^\\d{11}$', required: true, searchable: true, type: 'input', public: false },
    success: true
  })
  const stored = await definitions.findOne({ _id: 'cpf' as never })
  t.match(stored, { label: 'Label of cpf', scope: 'visitor', visibility: 'visible', regexp: '^\\d{11}$', required: true, _updatedAt: Date })
  t.notOk(stored !== null && 'field' in stored, 'the name is the _id, not a field')
})

t.test('a saved definition applies to the next visitor request', async t => {
  await post(app, 'visitor', { visitor: { token: 'def-visitor' } })
  t.equal((await post(app, 'custom.field', { token: 'def-visitor', key: 'cpf', value: '123', overwrite: true })).json().errorType,
    'error-invalid-custom-field-value', 'the new regexp is applied')
  t.equal((await post(app, 'custom.field', { token: 'def-visitor', key: 'cpf', value: '12345678901', overwrite: true })).statusCode, 200)
  await save('cpf', minimal('cpf', { regexp: '^\\d{3}$' }))
  t.equal((await post(app, 'custom.field', { token: 'def-visitor', key: 'cpf', value: '123', overwrite: true })).statusCode, 200, 'and its update too')
  await save('cpf', minimal('cpf', { visibility: 'hidden' }))
  t.equal((await post(app, 'custom.field', { token: 'def-visitor', key: 'cpf', value: '123', overwrite: true })).json().errorType, 'invalid-custom-field',
    'a hidden definition is for agents only')
})

t.test('custom-fields.save updates the fields sent and keeps the others; the name cannot change', async t => {
  const res = await save('cpf', { ...minimal('renamed'), label: 'CPF', visibility: 'visible' })
  t.match(res.json(), { customField: { _id: 'cpf', label: 'CPF', visibility: 'visible', regexp: '^\\d{3}$', required: true }, success: true })
  t.equal(await definitions.countDocuments({ _id: 'renamed' as never }), 0, 'field is ignored on update, as in Rocket.Chat')
})

t.test('creating a name that exists and updating one that does not are Rocket.Chat\'s errors, and write nothing', async t => {
  const before = await definitions.find().sort({ _id: 1 }).toArray()
  t.same((await save(null, minimal('cpf'))).json(), { success: false, error: 'Custom Field already exists', errorType: 'custom-field-already-exists' })
  t.same((await save('missing', minimal('missing'))).json(), { success: false, error: 'Custom Field Not found', errorType: 'custom-field-not-found' })
  t.same(await definitions.find().sort({ _id: 1 }).toArray(), before)
})

t.test('a regexp that does not compile is a clear 400, where Rocket.Chat stores it and fails later', async t => {
  const res = await save(null, minimal('broken', { regexp: '(unclosed' }))
  t.equal(res.statusCode, 400)
  t.match(res.json(), { success: false, errorType: 'invalid-params', error: /^customFieldData\.regexp must be a regular expression that compiles: Invalid regular expression/ })
  t.equal(await definitions.countDocuments({ _id: 'broken' as never }), 0)
})

t.test('the body is checked: names of Rocket.Chat\'s characters, known scopes and visibilities, bounded text, no operators', async t => {
  const invalid: Array<[string, unknown, string]> = [
    ['a name with a dot', { customFieldId: null, customFieldData: minimal('a.b') }, 'customFieldData.field'],
    ['a name with a space', { customFieldId: null, customFieldData: minimal('a b') }, 'customFieldData.field'],
    ['__proto__', { customFieldId: null, customFieldData: minimal('__proto__') }, 'customFieldData.field'],
    ['a name of 65', { customFieldId: null, customFieldData: minimal('n'.repeat(65)) }, 'customFieldData.field'],
    ['an operator as id', { customFieldId: { $ne: null }, customFieldData: minimal('x') }, 'customFieldId'],
    ['no customFieldId', { customFieldData: minimal('x') }, 'customFieldId'],
    ['another scope', { customFieldId: null, customFieldData: minimal('x', { scope: 'agent' }) }, 'customFieldData.scope'],
    ['another visibility', { customFieldId: null, customFieldData: minimal('x', { visibility: true }) }, 'customFieldData.visibility'],
    ['an empty label', { customFieldId: null, customFieldData: minimal('x', { label: '' }) }, 'customFieldData.label'],
    ['a bidi override in the label', { customFieldId: null, customFieldData: minimal('x', { label: 'a\u202eb' }) }, 'customFieldData.label'],
    ['a regexp of 513', { customFieldId: null, customFieldData: minimal('x', { regexp: 'a'.repeat(513) }) }, 'customFieldData.regexp'],
    ['required as a string', { customFieldId: null, customFieldData: minimal('x', { required: 'true' }) }, 'customFieldData.required'],
    ['an _id beside the name', { customFieldId: null, customFieldData: minimal('x', { _id: { $gt: '' } }) }, 'customFieldData'],
    ['an operator key', { customFieldId: null, customFieldData: minimal('x', { $where: 'sleep(1000)' }) }, 'customFieldData'],
    ['a dotted key', { customFieldId: null, customFieldData: minimal('x', { 'label.x': 'y' }) }, 'customFieldData'],
    ['another field', { customFieldId: null, customFieldData: minimal('x', { livechatData: {} }) }, 'customFieldData'],
    ['an operator key on update', { customFieldId: 'cpf', customFieldData: minimal('cpf', { $set: { x: 1 } }) }, 'customFieldData'],
    ['an _id on update', { customFieldId: 'cpf', customFieldData: minimal('cpf', { _id: 'other' }) }, 'customFieldData']
  ]
  const cpfBefore = await definitions.findOne({ _id: 'cpf' as never })
  for (const [name, body, field] of invalid) {
    const res = await agentPost('custom-fields.save', body)
    t.same([res.statusCode, res.json().errorType], [400, 'invalid-params'], name)
    t.match(res.json().error, new RegExp(`^${field.replace('.', '\\.')}`), `${name}: ${res.json().error}`)
  }
  t.equal(await definitions.countDocuments({ _id: { $in: ['x', 'a.b', 'a b', 'other'] } as never }), 0)
  t.same(await definitions.findOne({ _id: 'cpf' as never }), cpfBefore, 'an update refused changed nothing')
  t.equal((await save(null, minimal('Az09-_'))).statusCode, 200, 'every character of Rocket.Chat\'s rule')
  t.match((await save(null, minimal('public-one', { visibility: 'public', type: 'textarea' }))).json(), { customField: { visibility: 'public', type: 'textarea' } },
    'visibility and type are any short text, as in Rocket.Chat (its own tests save "public")')
  await definitions.deleteOne({ _id: 'public-one' as never })
})

t.test('custom-fields lists by label, pages, filters by a literal text in the name or label, and sorts', async t => {
  await definitions.deleteMany({})
  for (const [field, label] of [['b-field', 'Zeta'], ['a-field', 'Alpha'], ['c-field', 'Mid (x+)'], ['d-field', 'Beta']]) {
    await save(null, minimal(field, { label }))
  }
  const list = async (query = '', bearer = 'agent') => (await agentGet(app, `custom-fields${query}`, bearer)).json()
  const ids = (answer: { customFields: Array<{ _id: string }> }) => answer.customFields.map(field => field._id)
  t.same(ids(await list()), ['a-field', 'd-field', 'c-field', 'b-field'], 'by label')
  t.match(await list('?count=2&offset=1'), { customFields: [{ _id: 'd-field' }, { _id: 'c-field' }], count: 2, offset: 1, total: 4, success: true })
  t.same(ids(await list('?text=FIELD')), ['a-field', 'd-field', 'c-field', 'b-field'], 'any letter case, in the name')
  t.same(ids(await list('?text=et')), ['d-field', 'b-field'], 'or in the label')
  t.same(ids(await list(`?text=${encodeURIComponent('(x+)')}`)), ['c-field'], 'the text is literal, never a pattern')
  t.same(ids(await list(`?text=${encodeURIComponent('.*')}`)), [])
  t.same(ids(await list('?text=')), ['a-field', 'd-field', 'c-field', 'b-field'], 'an empty text is every definition')
  t.same(ids(await list(`?sort=${encodeURIComponent('{"_id":-1}')}`)), ['d-field', 'c-field', 'b-field', 'a-field'])
  t.same(ids(await list(`?sort=${encodeURIComponent('{ "scope" : 1 }')}&count=1`)), ['a-field'])
  t.match(await list('?count=1000'), { count: 4, total: 4 }, 'a count over 100 is lowered, not refused')
  t.match(await list('?offset=2147483647'), { customFields: [], offset: 2147483647, total: 4 })
  for (const query of ['?sort=label', `?sort=${encodeURIComponent('{"label":2}')}`, `?sort=${encodeURIComponent('{"$where":1}')}`,
    `?sort=${encodeURIComponent('{"label":1,"_id":1}')}`, `?sort=${encodeURIComponent('{"label":1')}`, `?text=${'t'.repeat(257)}`, '?count=0x10', '?text[$ne]=x', '?offset=2147483648', `?sort=${'{'.repeat(5000)}`]) {
    t.same([(await agentGet(app, `custom-fields${query}`, 'agent')).statusCode, (await list(query)).errorType], [400, 'invalid-params'], query)
  }
})

t.test('custom-fields/:_id answers the definition, or null for a name with none, even one that cannot exist', async t => {
  t.match((await agentGet(app, 'custom-fields/a-field', 'agent')).json(), { customField: { _id: 'a-field', label: 'Alpha' }, success: true })
  t.same((await agentGet(app, 'custom-fields/nope', 'agent')).json(), { customField: null, success: true })
  for (const name of ['a.b', '%24where', '__proto__']) {
    let answer: unknown
    const commands = await commandsDuring(client, async () => { answer = (await agentGet(app, `custom-fields/${name}`, 'agent')).json() })
    t.same([answer, commands], [{ customField: null, success: true }, []], `${name}: null, and no query`)
  }
})

t.test('custom-fields.delete deletes; a name with no definition is Rocket.Chat\'s "Custom field not found"', async t => {
  t.same((await agentPost('custom-fields.delete', { customFieldId: 'a-field' })).json(), { success: true })
  t.equal(await definitions.countDocuments({ _id: 'a-field' as never }), 0)
  t.same((await agentPost('custom-fields.delete', { customFieldId: 'a-field' })).json(), { success: false, error: 'Custom field not found', errorType: 'custom-field-not-found' })
  t.equal((await agentPost('custom-fields.delete', { customFieldId: { $ne: null } })).json().errorType, 'invalid-params')
  t.equal(await definitions.countDocuments(), 3, 'nothing else went')
})

t.test('reading needs view-l-room, writing view-livechat-manager; the hook answers first', async t => {
  for (const path of ['custom-fields', 'custom-fields/b-field']) {
    t.same((await agentGet(app, path)).json(), UNAUTHENTICATED_ANSWER, `${path} without a bearer`)
    t.equal((await agentGet(app, path, 'agent')).statusCode, 200)
  }
  for (const [route, body] of [['custom-fields.save', { customFieldId: null, customFieldData: minimal('by-agent') }], ['custom-fields.delete', { customFieldId: 'b-field' }]] as const) {
    t.same((await agentPost(route, body, 'agent')).json(), FORBIDDEN_ANSWER, `${route} as a plain agent`)
    t.same((await app.inject({ method: 'POST', url: `/api/v1/livechat/${route}`, payload: {} })).json(), UNAUTHENTICATED_ANSWER, `${route} without a bearer, whatever the body`)
  }
  t.equal(await definitions.countDocuments({ _id: { $in: ['by-agent'] } as never }), 0)
  t.equal(await definitions.countDocuments({ _id: 'b-field' as never }), 1)
})

t.test('a database failure while creating is a 503, not a duplicate', async t => {
  const failing = withCollectionMethod(db, 'insertOne', () => async () => { throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' }) })
  const failingApp = await livechatApp(t, failing, { authorizeAgent: authorizeTestAgents, decorator: 'failing', ensureIndexes: false })
  const res = await failingApp.inject({
    method: 'POST', url: '/api/v1/livechat/custom-fields.save', headers: { authorization: 'Bearer manager' }, payload: { customFieldId: null, customFieldData: minimal('never') }
  })
  t.same([res.statusCode, res.json().errorType], [503, 'database-unavailable'])
})

t.test('the service has the same functions, checking its arguments', async t => {
  const service = app.livechat
  t.match(await service.saveCustomFieldDefinition(null, minimal('by-service')), { _id: 'by-service' })
  t.match(await service.findCustomFieldDefinition('by-service'), { _id: 'by-service', label: 'Label of by-service' })
  t.equal(await service.findCustomFieldDefinition({ $ne: null } as never), null)
  t.match(await service.listCustomFieldDefinitions('by-serv'), { items: [{ _id: 'by-service' }], total: 1 })
  t.match(await service.listCustomFieldDefinitions(undefined, { sort: { _id: -1 }, count: 1 }), { items: [{ _id: 'd-field' }], total: 4 })
  await t.rejects(service.listCustomFieldDefinitions(undefined, { sort: { ts: 1 } as never }), { code: 'LIVECHAT_INVALID_PARAMS' })
  await t.rejects(service.saveCustomFieldDefinition({ $ne: null } as never, minimal('x')), { code: 'LIVECHAT_INVALID_PARAMS' })
  await service.deleteCustomFieldDefinition('by-service')
  await t.rejects(service.deleteCustomFieldDefinition('by-service'), { code: 'LIVECHAT_CUSTOM_FIELD_TO_DELETE_NOT_FOUND' })
})
