import t from 'tap'
import { openCollections } from '../lib/collections.js'
import { createStores } from '../lib/operations.js'
import { resolveOptions } from '../lib/options.js'
import { REGISTRATION_RULES, resolveCustomFields } from '../lib/custom-fields.js'
import { commandsDuring, testDatabase } from './helpers/database.js'

// The schemas stop every non-string at the door, through the routes and through
// the decorator alike; so the data layer's own wall can only be reached from inside.
const { db, client } = await testDatabase(t, import.meta.filename)
const options = resolveOptions({ db })
const collections = openCollections(db, options.collections)
const log = { warn () {} } as never
const { visitors, rooms, history, erasure } = createStores(collections, collections.messages, options, log)
const operator = { $ne: null } as never
const page = { count: 10, offset: 0 }

t.test('no store lets a non-string into a query: it throws invalid-params and sends nothing', async t => {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['visitors.findByToken', () => visitors.findByToken(operator)],
    ['visitors.findEnabledById', () => visitors.findEnabledById(operator)],
    ['visitors.search', () => visitors.search(operator, page)],
    ['visitors.register token', () => visitors.register({ token: operator })],
    ['visitors.register name', () => visitors.register({ token: 't', name: operator })],
    ['visitors.register email', () => visitors.register({ token: 't', email: operator })],
    ['visitors.register phone', () => visitors.register({ token: 't', phone: operator })],
    ['visitors.register department', () => visitors.register({ token: 't', department: operator })],
    ['visitors.register username', () => visitors.register({ token: 't', username: operator })],
    ['visitors.setStatus token', () => visitors.setStatus(operator, 'away')],
    ['visitors.setStatus status', () => visitors.setStatus('t', operator)],
    ['visitors.setLivechatData', () => visitors.setLivechatData(operator, { overwrite: new Map(), fillEmpty: new Map() })],
    ['rooms.assertVisitorRoom rid', () => rooms.assertVisitorRoom(operator, 't')],
    ['rooms.assertVisitorRoom token', () => rooms.assertVisitorRoom('r', operator)],
    ['rooms.findOpenSummaries', () => rooms.findOpenSummaries(operator)],
    ['rooms.findAllOf', () => rooms.findAllOf('v', operator)],
    ['history.record token', () => history.record({ token: operator, pageInfo: { change: 'url', title: '', location: { href: 'http://a.example/' } } })],
    ['history.record title', () => history.record({ token: 't', pageInfo: { change: 'url', title: operator, location: { href: 'http://a.example/' } } })],
    ['history.record href', () => history.record({ token: 't', pageInfo: { change: 'url', title: '', location: { href: operator } } })],
    ['history.attachToRoom token', () => history.attachToRoom(operator, 'r')],
    ['history.attachToRoom rid', () => history.attachToRoom('t', operator)],
    ['history.pagesOfRoom', () => history.pagesOfRoom(operator, page)],
    ['erasure.erase', () => erasure.erase(operator)]
  ]
  for (const [name, call] of calls) {
    const commands = await commandsDuring(client, () => t.rejects(call, { code: 'LIVECHAT_INVALID_PARAMS', message: / must be a string$/ }, name))
    t.same(commands, [], `${name} sent nothing`)
  }
})

t.test('custom-field keys and values are checked too', async t => {
  await collections.customFields.insertOne({ _id: 'address' as never, scope: 'visitor' })
  for (const field of [{ key: operator, value: 'x' }, { key: 'address', value: operator }]) {
    await t.rejects(resolveCustomFields(collections.customFields, [field], REGISTRATION_RULES, log), { code: 'LIVECHAT_INVALID_PARAMS' })
  }
})
