import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'

// The data layer takes only checked values (their types say so); the routes' validator and the
// service's argument checks are what make them. Through the service, then, a non-string in any
// argument is refused before anything reaches the database (the routes: test/security.test.ts).
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const service = app.livechat
const operator = { $ne: null } as never
const pageInfo = { change: 'url', title: 'T', location: { href: 'http://a.example/' } }

t.test('a non-string in any argument of the service is refused, and no command reaches the database', async t => {
  const refused: Array<[string, () => Promise<unknown>]> = [
    ['registerVisitor token', () => service.registerVisitor({ token: operator })],
    ['registerVisitor name', () => service.registerVisitor({ token: 't', name: operator })],
    ['registerVisitor email', () => service.registerVisitor({ token: 't', email: operator })],
    ['registerVisitor phone', () => service.registerVisitor({ token: 't', phone: operator })],
    ['registerVisitor department', () => service.registerVisitor({ token: 't', department: operator })],
    ['registerVisitor username', () => service.registerVisitor({ token: 't', username: operator })],
    ['registerVisitor custom field key', () => service.registerVisitor({ token: 't', customFields: [{ key: operator, value: 'x' }] })],
    ['registerVisitor custom field value', () => service.registerVisitor({ token: 't', customFields: [{ key: 'k', value: operator }] })],
    ['eraseVisitor', () => service.eraseVisitor(operator)],
    ['setVisitorStatus token', () => service.setVisitorStatus(operator, 'away')],
    ['setVisitorStatus status', () => service.setVisitorStatus('t', operator)],
    ['setCustomField token', () => service.setCustomField(operator, { key: 'k', value: 'x' })],
    ['setCustomField key', () => service.setCustomField('t', { key: operator, value: 'x' })],
    ['setCustomField value', () => service.setCustomField('t', { key: 'k', value: operator })],
    ['setCustomFields token', () => service.setCustomFields(operator, [])],
    ['setCustomFields value', () => service.setCustomFields('t', [{ key: 'k', value: operator }])],
    ['recordPageVisit token', () => service.recordPageVisit({ token: operator, pageInfo })],
    ['recordPageVisit rid', () => service.recordPageVisit({ token: 't', rid: operator, pageInfo })],
    ['recordPageVisit change', () => service.recordPageVisit({ token: 't', pageInfo: { ...pageInfo, change: operator } })],
    ['recordPageVisit title', () => service.recordPageVisit({ token: 't', pageInfo: { ...pageInfo, title: operator } })],
    ['recordPageVisit href', () => service.recordPageVisit({ token: 't', pageInfo: { ...pageInfo, location: { href: operator } } })],
    ['attachHistoryToRoom token', () => service.attachHistoryToRoom(operator, 'r')],
    ['attachHistoryToRoom rid', () => service.attachHistoryToRoom('t', operator)],
    ['findOpenRooms', () => service.findOpenRooms(operator)],
    ['findPagesVisited', () => service.findPagesVisited(operator)],
    ['searchVisitors', () => service.searchVisitors(operator)]
  ]
  for (const [name, call] of refused) {
    const commands = await commandsDuring(client, () => t.rejects(call, { code: 'LIVECHAT_INVALID_PARAMS' }, name))
    t.same(commands, [], `${name} sent nothing`)
  }
})

t.test('a finder answers null for a key that cannot exist, without asking the database', async t => {
  for (const [name, find] of [['findVisitorByToken', service.findVisitorByToken], ['findVisitorById', service.findVisitorById]] as const) {
    let answer: unknown
    const commands = await commandsDuring(client, async () => { answer = await find(operator) })
    t.same([answer, commands], [null, []], name)
  }
})
