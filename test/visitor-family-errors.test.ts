import t from 'tap'
import Fastify from 'fastify'
import rateLimit from '@fastify/rate-limit'
import livechat from '../lib/index.js'
import { authorizeTestAgents } from './helpers/agents.js'
import { testDatabase } from './helpers/database.js'

// The errors every route of its kind can answer, for the routes of the visitor family: a body that
// is not JSON, too large or of another type on the POST routes, and the rate limit on each.
const { db } = await testDatabase(t, import.meta.filename)
const app = Fastify()
await app.register(rateLimit, { global: false })
await app.register(livechat, { prefix: '/api/v1', db, authorizeAgent: authorizeTestAgents, bodyLimit: 1024 })
await app.ready()
t.teardown(() => app.close())
const manager = { authorization: 'Bearer manager' }

const POST_ROUTES = ['visitor.callStatus', 'custom-fields.save', 'custom-fields.delete']

t.test('the POST routes answer a body that is not JSON, too large or of another type in the envelope', async t => {
  // Apart from the limits below: these requests would count against them.
  const app = Fastify()
  await app.register(livechat, { prefix: '/api/v1', db, authorizeAgent: authorizeTestAgents, bodyLimit: 1024, rateLimit: false })
  t.teardown(() => app.close())
  for (const route of POST_ROUTES) {
    const url = `/api/v1/livechat/${route}`
    const notJson = await app.inject({ method: 'POST', url, headers: { ...manager, 'content-type': 'application/json' }, payload: '{"customFieldId":' })
    t.same([notJson.statusCode, notJson.json().errorType], [400, 'invalid-json'], `${route}: not JSON`)
    const large = await app.inject({ method: 'POST', url, headers: { ...manager, 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(2000) }) })
    t.same([large.statusCode, large.json().errorType], [413, 'body-too-large'], `${route}: too large`)
    const text = await app.inject({ method: 'POST', url, headers: { ...manager, 'content-type': 'text/plain' }, payload: 'x' })
    t.same([text.statusCode, text.json().errorType], [415, 'unsupported-media-type'], `${route}: text/plain`)
  }
})

t.test('each agent route of the family has its own limit of 10 a minute per client', async t => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', `/api/v1/livechat/visitors.autocomplete?selector=${encodeURIComponent('{"term":"a"}')}`],
    ['GET', '/api/v1/livechat/visitors.chatHistory/room/nowhere/visitor/someone'],
    ['GET', '/api/v1/livechat/visitors.searchChats/room/nowhere/visitor/someone'],
    ['GET', '/api/v1/livechat/custom-fields'],
    ['GET', '/api/v1/livechat/custom-fields/address'],
    ['POST', '/api/v1/livechat/custom-fields.delete', { customFieldId: 'nope' }],
    ['POST', '/api/v1/livechat/custom-fields.save', { customFieldId: 'nope', customFieldData: { field: 'nope', label: 'L', scope: 'visitor', visibility: 'visible' } }]
  ]
  for (const [method, url, payload] of routes) {
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await app.inject({ method: method as 'GET', url, headers: manager, payload: payload as object })).statusCode)
    t.notOk(statuses.slice(0, 10).includes(429), `${method} ${url}: ten answered`)
    t.equal(statuses[10], 429, `${method} ${url}: the eleventh is refused`)
  }
})
