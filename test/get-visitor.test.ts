import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { getVisitor, post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const INVALID_TOKEN = { success: false, error: '[invalid-token]', errorType: 'invalid-token' }

t.test('a registered visitor is found by its token, with its public fields', async t => {
  const registered = (await post(app, 'visitor', { visitor: { token: 'get-1', name: 'Dee' } })).json().visitor
  const res = await getVisitor(app, 'get-1')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { visitor: registered, success: true })
})

t.test('unknown, erased and malformed tokens all get the same 400, and malformed ones never reach the database', async t => {
  await db.collection(DEFAULT_COLLECTIONS.visitors).insertOne({ _id: 'erased-1' as never, disabled: true, _updatedAt: new Date() })
  const malformed = [`${'a'.repeat(99)}$`, 'has%20space', '%24ne', 'semi;colon', '%00', 'a%2Fb']
  const commands = await commandsDuring(client, async () => {
    for (const token of malformed) {
      const res = await getVisitor(app, token)
      t.equal(res.statusCode, 400, token)
      t.same(res.json(), INVALID_TOKEN, token)
    }
  })
  t.same(commands, [], 'no command was sent for a malformed token')
  const lookups = await commandsDuring(client, async () => {
    for (const token of ['unknown-token', 'erased-1']) {
      const res = await getVisitor(app, token)
      t.same([res.statusCode, res.json()], [400, INVALID_TOKEN], token)
    }
  })
  t.same(lookups, ['find', 'find'], 'a well-formed token is looked up: the watch sees commands')
})
