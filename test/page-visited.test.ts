import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'
import { post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const messages = db.collection(DEFAULT_COLLECTIONS.messages)
const rooms = db.collection(DEFAULT_COLLECTIONS.rooms)
await rooms.insertMany([
  { _id: 'room-a', t: 'l', open: true, v: { _id: 'v1', username: 'guest-1', token: 'tok-a' } },
  { _id: 'room-d', t: 'd', v: { token: 'tok-a' } }
] as never[])

const pageInfo = (href: string, change = 'url', title = 'Home') => ({ change, title, location: { href } })
const visit = (body: Record<string, unknown>) => post(app, 'page.visited', body)

t.test('a visit without a room is stored hidden, with an expiry 30 days out, for a token with no visitor yet', async t => {
  const before = Date.now()
  const res = await visit({ token: 'tok-new', pageInfo: { ...pageInfo('https://shop.example/a?q=1#x'), extra: 'dropped' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    page: { msg: 'Home - https://shop.example/a?q=1#x', navigation: { page: pageInfo('https://shop.example/a?q=1#x'), token: 'tok-new' } },
    success: true
  })
  const stored = await messages.findOne({ 'navigation.token': 'tok-new' })
  t.match(stored, {
    _id: /^[23456789A-HJ-NP-TW-Za-km-z]{17}$/,
    t: 'livechat_navigation_history',
    msg: 'Home - https://shop.example/a?q=1#x',
    u: { _id: 'rocket.cat', username: 'rocket.cat' },
    groupable: false,
    navigation: { page: pageInfo('https://shop.example/a?q=1#x'), token: 'tok-new' },
    _hidden: true
  })
  t.notOk('rid' in (stored ?? {}))
  t.notOk('extra' in stored?.navigation.page, 'only the validated pageInfo is stored')
  t.equal(typeof stored?.expireAt, 'number', 'expireAt in milliseconds, as Rocket.Chat stores it')
  const days = (stored?.expireAt - before) / 86_400_000
  t.ok(days >= 29.99 && days <= 30.01, `expires in 30 days (${days})`)
  t.ok(stored?.ts instanceof Date && stored?._updatedAt instanceof Date)
})

t.test('a visit in the visitor\'s own room is stored with the rid and no expiry; rid null means none', async t => {
  const res = await visit({ token: 'tok-a', rid: 'room-a', pageInfo: pageInfo('http://x.example/') })
  t.equal(res.statusCode, 200, res.body)
  const stored = await messages.findOne({ rid: 'room-a' })
  t.equal(stored?.navigation.token, 'tok-a')
  t.notOk('expireAt' in (stored ?? {}))
  const roomless = await visit({ token: 'tok-null', rid: null, pageInfo: pageInfo('http://x.example/null') })
  t.equal(roomless.statusCode, 200)
  t.equal(typeof (await messages.findOne({ 'navigation.token': 'tok-null' }))?.expireAt, 'number')
})

t.test('a room that does not exist, is not livechat, or belongs to another token is a 400 that stores nothing (differs)', async t => {
  const count = await messages.countDocuments()
  for (const [rid, token] of [['no-room', 'tok-a'], ['room-d', 'tok-a'], ['room-a', 'tok-other']]) {
    const res = await visit({ token, rid, pageInfo: pageInfo('http://x.example/') })
    t.same([res.statusCode, res.json()], [400, { success: false, error: '[invalid-room]', errorType: 'invalid-room' }], `${rid} ${token}`)
  }
  t.equal(await messages.countDocuments(), count)
})

t.test('a change other than the monitor type stores nothing and answers success', async t => {
  const count = await messages.countDocuments()
  const res = await visit({ token: 'tok-a', rid: 'not-checked', pageInfo: pageInfo('http://x.example/', 'title') })
  t.equal(res.body, '{"success":true}')
  t.equal(await messages.countDocuments(), count)
})

t.test('monitor type title, navigation shown as messages, custom system user and retention', async t => {
  const { db: otherDb } = await testDatabase(t, 'page-visited-options')
  const custom = await livechatApp(t, otherDb, {
    historyMonitorType: 'title',
    navigationAsMessages: true,
    systemUser: { _id: 'bot-id', username: 'bot' },
    historyRetentionMs: 60_000
  })
  const ignored = await post(custom, 'page.visited', { token: 'tk', pageInfo: pageInfo('http://x.example/', 'url') })
  t.equal(ignored.body, '{"success":true}')
  const res = await post(custom, 'page.visited', { token: 'tk', pageInfo: pageInfo('http://x.example/', 'title', 'Checkout') })
  t.equal(res.json().page.msg, 'Checkout - http://x.example/')
  const stored = await otherDb.collection(DEFAULT_COLLECTIONS.messages).findOne({ 'navigation.token': 'tk' })
  t.same(stored?.u, { _id: 'bot-id', username: 'bot', name: 'bot' })
  t.notOk('_hidden' in (stored ?? {}))
  t.equal(stored?.expireAt - stored?.ts.getTime(), 60_000)
})

t.test('bounds: each violation is a 400 invalid-params and stores nothing', async t => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['empty title', { token: 'b1', pageInfo: pageInfo('http://a.example/', 'url', '') }],
    ['title of 512', { token: 'b1', pageInfo: pageInfo('http://a.example/', 'url', 't'.repeat(512)) }],
    ['href of 2048', { token: 'b1', pageInfo: pageInfo('https://a.example/' + 'p'.repeat(2048 - 18)) }],
    ['upper-case scheme', { token: 'b1', pageInfo: pageInfo('HTTPS://a.example/') }],
    ['rid of 64', { token: 'b1', rid: 'r'.repeat(64), pageInfo: pageInfo('http://a.example/', 'title') }]
  ]
  for (const [name, body] of valid) t.equal((await visit(body)).statusCode, 200, name)

  const count = await messages.countDocuments()
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['missing pageInfo', { token: 'b1' }, 'pageInfo'],
    ['missing title', { token: 'b1', pageInfo: { change: 'url', location: { href: 'http://a.example/' } } }, 'pageInfo.title'],
    ['bad token', { token: 'a b', pageInfo: pageInfo('http://a.example/') }, 'token'],
    ['rid of 65', { token: 'b1', rid: 'r'.repeat(65), pageInfo: pageInfo('http://a.example/') }, 'rid'],
    ['rid with a dot', { token: 'b1', rid: 'a.b', pageInfo: pageInfo('http://a.example/') }, 'rid'],
    ['rid as an operator', { token: 'b1', rid: { $ne: null }, pageInfo: pageInfo('http://a.example/') }, 'rid'],
    ['change of 33', { token: 'b1', pageInfo: pageInfo('http://a.example/', 'c'.repeat(33)) }, 'pageInfo.change'],
    ['title of 513', { token: 'b1', pageInfo: pageInfo('http://a.example/', 'url', 't'.repeat(513)) }, 'pageInfo.title'],
    ['title with a control character', { token: 'b1', pageInfo: pageInfo('http://a.example/', 'url', 'a\u001bb') }, 'pageInfo.title'],
    ['href of 2049', { token: 'b1', pageInfo: pageInfo('https://a.example/' + 'p'.repeat(2049 - 18)) }, 'pageInfo.location.href'],
    ['relative href', { token: 'b1', pageInfo: pageInfo('/page') }, 'pageInfo.location.href'],
    ['javascript: href', { token: 'b1', pageInfo: pageInfo('javascript:alert(1)') }, 'pageInfo.location.href'],
    ['data: href', { token: 'b1', pageInfo: pageInfo('data:text/html,x') }, 'pageInfo.location.href'],
    ['href without a host', { token: 'b1', pageInfo: pageInfo('http:///path') }, 'pageInfo.location.href'],
    ['href with CR LF', { token: 'b1', pageInfo: pageInfo('http://a.example/\r\nSet-Cookie: x') }, 'pageInfo.location.href'],
    ['href as an array', { token: 'b1', pageInfo: { change: 'url', title: '', location: { href: ['http://a.example/'] } } }, 'pageInfo.location.href']
  ]
  for (const [name, body, field] of invalid) {
    const res = await visit(body)
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { success: false, errorType: 'invalid-params', error: new RegExp(`^${field.replaceAll('.', '\\.')}\\b`) }, name)
  }
  t.equal(await messages.countDocuments(), count, 'nothing stored')
})

t.test('a URL\'s userinfo is never stored: it may hold a password, and it makes the URL read as another site', async t => {
  for (const [href, stored] of [
    ['https://bank.example@evil.example/login', 'https://evil.example/login'],
    ['http://user:secret@shop.example:8080/a?b=c@d#e@f', 'http://shop.example:8080/a?b=c@d#e@f'],
    ['HTTPS://a@b@evil.example', 'HTTPS://evil.example'],
    ['https://shop.example/path@not-userinfo', 'https://shop.example/path@not-userinfo']
  ]) {
    const res = await visit({ token: 'tok-userinfo', pageInfo: pageInfo(href) })
    t.same([res.statusCode, res.json().page?.navigation.page.location.href], [200, stored], href)
    t.equal(await messages.countDocuments({ 'navigation.page.location.href': href }), href === stored ? 1 : 0, `${href}: stored as sent only without userinfo`)
  }
  t.equal(await messages.countDocuments({ msg: /secret|bank\.example/ }), 0, 'nor is it in the message text')
  const hostless = await visit({ token: 'tok-userinfo', pageInfo: pageInfo('https://user@/path') })
  t.same([hostless.statusCode, hostless.json().errorType], [400, 'invalid-params'], 'a URL whose only host was userinfo is refused')
})
