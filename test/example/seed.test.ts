import t from 'tap'
import { readFile } from 'node:fs/promises'
import { buildApp } from '../../example/app.js'
import { testDatabase } from '../helpers/database.js'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'

// The seed document: the pimentaCHAT API page this project was created from.
const seed = await readFile(new URL('../fixtures/livechat-visitors-api.txt', import.meta.url), 'utf8')

/** The JSON value that starts at the first "{" after the nth occurrence of a heading. */
function jsonAfter (heading: string, occurrence: number): string {
  let at = -1
  for (let i = 0; i <= occurrence; i++) at = seed.indexOf(heading, at + 1)
  const start = seed.indexOf('{', at)
  let depth = 0
  for (let end = start; ; end++) {
    if (seed[end] === '{') depth++
    if (seed[end] === '}' && --depth === 0) return seed.slice(start, end + 1)
  }
}

function curlBody (occurrence: number): string {
  let at = -1
  for (let i = 0; i <= occurrence; i++) at = seed.indexOf("-d '", at + 1)
  return seed.slice(at + 4, seed.indexOf("'", at + 4))
}

const withoutIdsAndTimes = ({ _id, _updatedAt, ts, username, ...rest }: Record<string, unknown>) => rest

const { db } = await testDatabase(t, import.meta.filename)
const app = await buildApp({ db })
t.teardown(() => app.close())
await db.collection(DEFAULT_COLLECTIONS.customFields).insertOne({ _id: 'address' as never, scope: 'visitor', visibility: 'visible' })

const getResult = JSON.parse(jsonAfter('Example Result', 0))
const postPayload = jsonAfter('Example payload', 0)
const postResult = JSON.parse(jsonAfter('Example Result', 1))
const pagePayload = JSON.parse(jsonAfter('Example payload', 1))
const pageResult = jsonAfter('Example Result', 2)

t.test('the seed POST curl line has invalid JSON and gets the 400 envelope', async t => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload: curlBody(0) })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { success: false, error: 'The request body is not valid JSON', errorType: 'invalid-json' })
  t.equal(await db.collection(DEFAULT_COLLECTIONS.visitors).countDocuments(), 0, 'nothing was written')
})

t.test('POST /livechat/visitor with the seed payload gives the seed result', async t => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'content-type': 'application/json' }, payload: postPayload })
  t.equal(res.statusCode, 200, res.body)
  const { visitor, success } = res.json()
  t.equal(success, true)
  t.match(visitor, { _id: /^[23456789A-HJ-NP-TW-Za-km-z]{17}$/, username: /^guest-\d+$/ })
  t.same(withoutIdsAndTimes(visitor), { ...withoutIdsAndTimes(postResult.visitor), status: 'online' })
})

t.test('GET /livechat/visitor/:token gives the seed result', async t => {
  const res = await app.inject({ method: 'GET', url: '/api/v1/livechat/visitor/iNKE8a6k6cjbqWhWd' })
  t.equal(res.statusCode, 200, res.body)
  t.same(withoutIdsAndTimes(res.json().visitor), { ...withoutIdsAndTimes(getResult.visitor), status: 'online' })
  t.equal(res.json().success, true)
})

t.test('the seed page.visited curl call answers the seed result byte for byte', async t => {
  const visitor = await db.collection(DEFAULT_COLLECTIONS.visitors).findOne({ token: pagePayload.token })
  await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({
    _id: pagePayload.rid, t: 'l', open: true, v: { _id: visitor?._id, username: visitor?.username, token: pagePayload.token }
  })
  t.same(JSON.parse(curlBody(1)), pagePayload, 'the curl line and the payload agree')
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/page.visited', headers: { 'content-type': 'application/json' }, payload: curlBody(1) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, JSON.stringify(JSON.parse(pageResult)))
  t.equal(await db.collection(DEFAULT_COLLECTIONS.messages).countDocuments({ rid: pagePayload.rid }), 1)
})
