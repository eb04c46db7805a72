import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'
import { getVisitor, post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const inquiries = db.collection(DEFAULT_COLLECTIONS.inquiries)

await post(app, 'visitor', { visitor: { token: 'status-1' } })
await rooms.insertMany([
  { _id: 'open-1', t: 'l', open: true, v: { token: 'status-1', status: 'online' } },
  { _id: 'closed-1', t: 'l', open: false, v: { token: 'status-1', status: 'online' } },
  { _id: 'other-1', t: 'l', open: true, v: { token: 'status-2', status: 'online' } }
] as never[])
await inquiries.insertMany([
  { _id: 'inq-queued', status: 'queued', v: { token: 'status-1', status: 'online' } },
  { _id: 'inq-taken', status: 'taken', v: { token: 'status-1', status: 'online' } }
] as never[])

const setStatus = (body: unknown) => post(app, 'visitor.status', body)

t.test('the status goes to the visitor and its open rooms, and the answer echoes it', async t => {
  const res = await setStatus({ token: 'status-1', status: 'away' })
  t.same([res.statusCode, res.json()], [200, { token: 'status-1', status: 'away', success: true }])
  t.equal((await getVisitor(app, 'status-1')).json().visitor.status, 'away')
  const statuses = Object.fromEntries((await rooms.find().toArray()).map(room => [room._id, room.v.status]))
  t.same(statuses, { 'open-1': 'away', 'closed-1': 'online', 'other-1': 'online' }, 'closed rooms and other visitors\' rooms keep theirs')
  const inquiryStatuses = Object.fromEntries((await inquiries.find().toArray()).map(inquiry => [inquiry._id, inquiry.v.status]))
  t.same(inquiryStatuses, { 'inq-queued': 'away', 'inq-taken': 'online' }, 'an inquiry still queued shows it too')
})

t.test('an unknown token is invalid-token and changes no room', async t => {
  const res = await setStatus({ token: 'status-2', status: 'busy' })
  t.same([res.statusCode, res.json()], [400, { success: false, error: '[invalid-token]', errorType: 'invalid-token' }])
  t.equal((await rooms.findOne({ _id: 'other-1' as never }))?.v.status, 'online')
})

t.test('a status outside online, away, busy, offline, or a malformed token, is invalid-params', async t => {
  for (const body of [
    { token: 'status-1', status: 'invisible' },
    { token: 'status-1', status: { $ne: null } },
    { token: 'status-1' },
    { token: { $gt: '' }, status: 'away' },
    { token: 'bad token', status: 'away' }
  ]) {
    const res = await setStatus(body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.equal(res.json().errorType, 'invalid-params')
  }
  t.match((await setStatus({ token: 'status-1', status: 'x' })).json().error, 'status must be one of online, away, busy, offline')
  t.equal((await getVisitor(app, 'status-1')).json().visitor.status, 'away', 'nothing changed')
})
