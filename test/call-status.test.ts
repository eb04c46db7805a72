import t from 'tap'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, databaseContents, testDatabase } from './helpers/database.js'
import { post } from './helpers/http.js'

// POST /livechat/visitor.callStatus, over rooms and call messages as Rocket.Chat writes them: its
// updateCallStatus does Rooms.setCallStatus (updateOne {_id: rid}, {$set: {callStatus}}) and, for
// "ended" and "declined", edits the call message (msg, actionLinks [], webRtcCallEndTs, editedAt, editedBy).
const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)

const visitor = (await post(app, 'visitor', { visitor: { token: 'caller' } })).json().visitor as { _id: string, username: string }
await post(app, 'visitor', { visitor: { token: 'other-caller' } })
await rooms.insertMany([
  { _id: 'call-room', t: 'l', open: true, v: { _id: visitor._id, username: visitor.username, token: 'caller' } },
  { _id: 'others-room', t: 'l', open: true, v: { token: 'other-caller' } },
  { _id: 'channel', t: 'c', v: { token: 'caller' } }
] as never[])
const callMessage = { _id: 'call-1', rid: 'call-room', t: 'livechat_webrtc_video_call', msg: 'Join my room to start the video call', actionLinks: [{ label: 'Join' }] }
await messages.insertMany([
  callMessage,
  { _id: 'agent-says', rid: 'call-room', msg: 'Hello, how can I help?' },
  { _id: 'others-call', rid: 'others-room', t: 'livechat_webrtc_video_call', msg: 'Join', actionLinks: [] }
] as never[])

const setCallStatus = (body: Record<string, unknown>) => post(app, 'visitor.callStatus', body)

t.test('sets the call status of the visitor\'s own room and answers Rocket.Chat\'s {token, callStatus}', async t => {
  const res = await setCallStatus({ token: 'caller', callStatus: 'going', rid: 'call-room', callId: 'call-1' })
  t.same([res.statusCode, res.json()], [200, { token: 'caller', callStatus: 'going', success: true }])
  t.equal((await rooms.findOne({ _id: 'call-room' as never }))?.callStatus, 'going')
  t.match(await messages.findOne({ _id: 'call-1' as never }), callMessage, 'a status that does not end the call leaves the message')
})

t.test('"ended" and "declined" also mark the room\'s call message, as Rocket.Chat edits it', async t => {
  for (const status of ['ended', 'declined']) {
    const before = Date.now()
    t.equal((await setCallStatus({ token: 'caller', callStatus: status, rid: 'call-room', callId: 'call-1' })).statusCode, 200)
    const message = await messages.findOne({ _id: 'call-1' as never })
    t.match(message, { msg: status, actionLinks: [], editedBy: { _id: visitor._id, username: visitor.username }, webRtcCallEndTs: Date, editedAt: Date }, status)
    t.ok((message?.editedAt as Date).getTime() >= before - 1000)
    t.equal((await rooms.findOne({ _id: 'call-room' as never }))?.callStatus, status)
  }
})

t.test('refusals change nothing: an unknown token, another visitor\'s room, a message that is not the room\'s call', async t => {
  const before = await databaseContents(db)
  const refusals: Array<[string, Record<string, unknown>, unknown]> = [
    ['an unknown token', { token: 'nobody', callStatus: 'ended', rid: 'call-room', callId: 'call-1' },
      { success: false, error: '[invalid-token]', errorType: 'invalid-token' }],
    ['another visitor\'s room (differs: Rocket.Chat takes any rid)', { token: 'caller', callStatus: 'ended', rid: 'others-room', callId: 'others-call' },
      { success: false, error: '[invalid-room]', errorType: 'invalid-room' }],
    ['a room that is not livechat', { token: 'caller', callStatus: 'going', rid: 'channel', callId: 'x' },
      { success: false, error: '[invalid-room]', errorType: 'invalid-room' }],
    ['an agent\'s message, not a call', { token: 'caller', callStatus: 'ended', rid: 'call-room', callId: 'agent-says' },
      { success: false, error: 'Invalid message ID.', errorType: 'invalid-message-id' }],
    ['a call of another room', { token: 'caller', callStatus: 'declined', rid: 'call-room', callId: 'others-call' },
      { success: false, error: 'Invalid message ID.', errorType: 'invalid-message-id' }]
  ]
  for (const [name, body, answer] of refusals) {
    const res = await setCallStatus(body)
    t.same([res.statusCode, res.json()], [400, answer], name)
  }
  t.equal(await databaseContents(db), before)
})

t.test('the body is checked like Rocket.Chat\'s: four strings, all required; hostile values send nothing', async t => {
  const valid = { token: 'caller', callStatus: 'going', rid: 'call-room', callId: 'call-1' }
  for (const [name, body] of [
    ['no body fields', {}], ['without callId', { ...valid, callId: undefined }], ['without rid', { ...valid, rid: undefined }],
    ['without callStatus', { ...valid, callStatus: undefined }], ['an operator token', { ...valid, token: { $ne: null } }],
    ['an operator rid', { ...valid, rid: { $ne: null } }], ['an operator callId', { ...valid, callId: { $gt: '' } }],
    ['a number status', { ...valid, callStatus: 1 }], ['an empty status', { ...valid, callStatus: '' }],
    ['a status of 65', { ...valid, callStatus: 's'.repeat(65) }], ['a status with a bidi override', { ...valid, callStatus: 'ended\u202e' }]
  ] as const) {
    let res: Awaited<ReturnType<typeof setCallStatus>> | undefined
    const commands = await commandsDuring(client, async () => { res = await setCallStatus(body) })
    t.same([res?.statusCode, res?.json().errorType, commands], [400, 'invalid-params', []], name)
  }
})

t.test('the service sets it too, checking its argument', async t => {
  await app.livechat.setCallStatus({ token: 'caller', callStatus: 'ringing', rid: 'call-room', callId: 'call-1' })
  t.equal((await rooms.findOne({ _id: 'call-room' as never }))?.callStatus, 'ringing')
  await t.rejects(app.livechat.setCallStatus({ token: 'caller', callStatus: 'x', rid: { $ne: null }, callId: 'c' } as never), { code: 'LIVECHAT_INVALID_PARAMS' })
})
