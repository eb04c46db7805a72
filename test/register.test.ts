import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { commandsDuring, testDatabase } from './helpers/database.js'
import { getVisitor, post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'

const { db, client } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
const customFields = db.collection(DEFAULT_COLLECTIONS.customFields)
await db.collection(DEFAULT_COLLECTIONS.departments).insertOne({ _id: 'dep-1' as never, name: 'Sales' })
await customFields.insertMany([
  { _id: 'address', scope: 'visitor', visibility: 'visible' },
  { _id: 'cpf', scope: 'visitor', visibility: 'visible', regexp: '^\\d{3}$' },
  { _id: 'secret', scope: 'visitor', visibility: 'hidden' },
  { _id: 'roomOnly', scope: 'room', visibility: 'visible' },
  { _id: 'broken', scope: 'visitor', visibility: 'visible', regexp: '(' }
] as never[])

const register = (visitor: Record<string, unknown>) => post(app, 'visitor', { visitor })

t.test('a new visitor gets an id, a guest name, ts and status online', async t => {
  const res = await register({ token: 'new-1', name: 'Ana', email: '  Ana@Example.COM ', phone: '+55 (51) 5555-5555' })
  t.equal(res.statusCode, 200, res.body)
  const { visitor } = res.json()
  t.match(visitor, {
    _id: /^[23456789A-HJ-NP-TW-Za-km-z]{17}$/,
    username: /^guest-\d+$/,
    token: 'new-1',
    name: 'Ana',
    visitorEmails: [{ address: 'ana@example.com' }],
    phone: [{ phoneNumber: '+55 (51) 5555-5555' }],
    status: 'online'
  })
  t.equal(visitor.ts, visitor._updatedAt)
  t.match(visitor.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const stored = await visitors.findOne({ token: 'new-1' })
  t.ok(stored?.ts instanceof Date, 'dates are stored as dates')
  t.equal(stored?.visitorEmails[0].address, 'ana@example.com', 'email stored trimmed and lower-cased')
})

t.test('a second registration updates; _id, username and ts never change; unsent fields stay', async t => {
  const first = (await register({ token: 'upd-1', name: 'Bo', phone: '123' })).json().visitor
  const second = (await register({ token: 'upd-1', email: 'bo@example.com', username: 'ignored' })).json().visitor
  t.equal(second._id, first._id)
  t.equal(second.username, first.username)
  t.equal(second.ts, first.ts)
  t.equal(second.name, 'Bo')
  t.same(second.phone, [{ phoneNumber: '123' }])
  t.same(second.visitorEmails, [{ address: 'bo@example.com' }])
  t.ok(second._updatedAt >= first._updatedAt)
  t.equal(await visitors.countDocuments({ token: 'upd-1' }), 1)
})

t.test('empty optional strings mean "not sent"', async t => {
  await register({ token: 'empty-1', name: 'Cy', email: 'cy@example.com' })
  const { visitor } = (await register({ token: 'empty-1', name: '', email: '', phone: '', department: '', username: '' })).json()
  t.equal(visitor.name, 'Cy')
  t.same(visitor.visitorEmails, [{ address: 'cy@example.com' }])
  t.notOk('phone' in visitor)
})

t.test('the visitor is found by token only, never by email or phone (differs)', async t => {
  const owner = (await register({ token: 'owner-1', email: 'owner@example.com', phone: '999' })).json().visitor
  const other = (await register({ token: 'attacker-1', email: 'owner@example.com', phone: '999' })).json().visitor
  t.not(other._id, owner._id)
  t.equal((await getVisitor(app, 'owner-1')).json().visitor.token, 'owner-1', 'the owner keeps its token')
})

t.test('a given username is used for a new visitor', async t => {
  const { visitor } = (await register({ token: 'named-1', username: 'maria.s' })).json()
  t.equal(visitor.username, 'maria.s')
})

t.test('a username another visitor has is a 400 and creates nothing', async t => {
  const res = await register({ token: 'named-2', username: 'maria.s' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { success: false, error: '[error-invalid-username]', errorType: 'error-invalid-username' })
  t.equal(await visitors.countDocuments({ token: 'named-2' }), 0)
})

t.test('a guest name or the system user\'s, in any letter case, cannot be chosen: error-invalid-username, nothing written', async t => {
  const counterBefore = await db.collection(DEFAULT_COLLECTIONS.settings).findOne({})
  const squats = ['guest-1', 'guest-2', 'guest-3', 'guest-4', 'guest-5', 'guest-6', 'guest-7', 'guest-8', 'guest-9', 'GUEST-10', 'Guest-0042', 'rocket.cat', 'Rocket.Cat']
  for (const [i, username] of squats.entries()) {
    const res = await register({ token: `squat-${i}`, username })
    t.same([res.statusCode, res.json()], [400, { success: false, error: '[error-invalid-username]', errorType: 'error-invalid-username' }], username)
  }
  t.equal(await visitors.countDocuments({ token: /^squat-/ }), 0, 'no visitor was created')
  t.same(await db.collection(DEFAULT_COLLECTIONS.settings).findOne({}), counterBefore, 'and no guest number was taken')
  const next = await register({ token: 'after-squats' })
  t.equal(next.statusCode, 200, 'the next registration gets its guest name (ten squats used to make it a 503)')
  t.match(next.json().visitor.username, /^guest-\d+$/)
  for (const username of ['guest', 'guest-', 'guest-1a', 'guests-1', 'my-guest-1', 'rocket.cats']) {
    t.equal((await register({ token: `free-${username}`, username })).statusCode, 200, `${username} is free`)
  }
})

t.test('the reserved system username follows the systemUser option', async t => {
  const bot = await livechatApp(t, db, { decorator: 'bot', systemUser: { _id: 'bot-id', username: 'pimenta.bot' } })
  const refused = await bot.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'bot-squat', username: 'Pimenta.Bot' } } })
  t.equal(refused.json().errorType, 'error-invalid-username')
  const allowed = await bot.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'bot-free', username: 'rocket.cat' } } })
  t.equal(allowed.statusCode, 200, 'rocket.cat is only the default\'s')
})

t.test('department is resolved by _id or by name and stored as the _id', async t => {
  t.equal((await register({ token: 'dep-a', department: 'dep-1' })).json().visitor.department, 'dep-1')
  t.equal((await register({ token: 'dep-b', department: 'Sales' })).json().visitor.department, 'dep-1')
  const res = await register({ token: 'dep-c', department: 'Nowhere' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    success: false,
    error: 'The provided department is invalid [error-invalid-department]',
    errorType: 'error-invalid-department'
  })
  t.equal(await visitors.countDocuments({ token: 'dep-c' }), 0)
})

t.test('custom fields', async t => {
  t.test('only visible visitor-scope definitions are applied, others ignored silently', async t => {
    const { visitor } = (await register({
      token: 'cf-1',
      customFields: [
        { key: 'address', value: 'Main street', overwrite: true },
        { key: 'secret', value: 'x', overwrite: true },
        { key: 'roomOnly', value: 'y', overwrite: true },
        { key: 'undefinedKey', value: 'z', overwrite: true }
      ]
    })).json()
    t.same(visitor.livechatData, { address: 'Main street' })
  })

  t.test('overwrite false keeps a stored value, even an empty string, and sets a missing one', async t => {
    await register({ token: 'cf-2', customFields: [{ key: 'address', value: 'first', overwrite: true }] })
    let res = await register({ token: 'cf-2', customFields: [{ key: 'address', value: 'second' }] })
    t.same(res.json().visitor.livechatData, { address: 'first' })
    await register({ token: 'cf-2', customFields: [{ key: 'address', value: '', overwrite: true }] })
    res = await register({ token: 'cf-2', customFields: [{ key: 'address', value: 'third', overwrite: false }, { key: 'cpf', value: '123', overwrite: false }] })
    t.same(res.json().visitor.livechatData, { address: '', cpf: '123' })
    res = await register({ token: 'cf-2', customFields: [{ key: 'address', value: 'fourth', overwrite: true }] })
    t.same(res.json().visitor.livechatData, { address: 'fourth', cpf: '123' })
  })

  t.test('a key of any text is taken and ignored without a definition: never a field path, an operator or a prototype', async t => {
    // A definition written past the plugin, with a name that would be a path: it selects nothing.
    await customFields.insertOne({ _id: 'a.b', scope: 'visitor', visibility: 'visible' } as never)
    t.teardown(() => customFields.deleteOne({ _id: 'a.b' } as never))
    const keys = ['a.b', '$set', 'livechatData.x', '__proto__', 'constructor', 'prototype', 'josé', 'a b', 'k'.repeat(64)]
    const res = await register({
      token: 'cf-keys',
      customFields: [...keys.map(key => ({ key, value: 'x', overwrite: true })), { key: 'address', value: 'kept', overwrite: true }]
    })
    t.equal(res.statusCode, 200, res.body)
    t.same(res.json().visitor.livechatData, { address: 'kept' })
    const stored = await visitors.findOne({ token: 'cf-keys' })
    t.same(stored?.livechatData, { address: 'kept' }, 'only the defined key is stored')
    t.notOk('a' in (stored ?? {}) || '$set' in (stored ?? {}), 'no other field of the document either')
    t.equal(({} as Record<string, unknown>).x, undefined, 'no prototype took a value')
  })

  t.test('a new visitor takes overwrite-false values too; the last entry of a key wins', async t => {
    const { visitor } = (await register({
      token: 'cf-3',
      customFields: [{ key: 'address', value: 'a', overwrite: true }, { key: 'address', value: 'b' }]
    })).json()
    t.same(visitor.livechatData, { address: 'b' })
  })

  t.test('a value failing the definition regexp is a 400 and nothing is written (differs)', async t => {
    const res = await register({ token: 'cf-4', name: 'X', customFields: [{ key: 'cpf', value: 'abc', overwrite: true }] })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { success: false, error: '[error-invalid-custom-field-value]', errorType: 'error-invalid-custom-field-value' })
    t.equal(await visitors.countDocuments({ token: 'cf-4' }), 0)
    const ok = await register({ token: 'cf-4', customFields: [{ key: 'cpf', value: '123', overwrite: true }] })
    t.same(ok.json().visitor.livechatData, { cpf: '123' })
  })

  t.test('an invalid regexp in a definition is ignored, not a 500', async t => {
    const res = await register({ token: 'cf-5', customFields: [{ key: 'broken', value: 'anything', overwrite: true }] })
    t.equal(res.statusCode, 200)
    t.same(res.json().visitor.livechatData, { broken: 'anything' })
  })

  t.test('required definitions must all be sent when customFields is not empty', async t => {
    await customFields.insertMany([
      { _id: 'plan', scope: 'visitor', visibility: 'visible', required: true },
      { _id: 'team', scope: 'visitor', visibility: 'visible', required: true }
    ] as never[])
    t.teardown(() => customFields.deleteMany({ _id: { $in: ['plan', 'team'] } } as never))
    const res = await register({ token: 'cf-6', customFields: [{ key: 'address', value: 'a', overwrite: true }] })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { success: false, error: 'Missing required custom fields: plan, team', errorType: 'missing-required-custom-fields' })
    t.equal(await visitors.countDocuments({ token: 'cf-6' }), 0)
    t.equal((await register({ token: 'cf-6' })).statusCode, 200, 'no customFields: no required check')
    const all = await register({
      token: 'cf-6',
      customFields: [{ key: 'plan', value: 'pro', overwrite: true }, { key: 'team', value: 'x', overwrite: true }]
    })
    t.same(all.json().visitor.livechatData, { plan: 'pro', team: 'x' })
  })
})

t.test('the answer holds exactly the public fields; stored headers and internal fields never appear', async t => {
  await visitors.insertOne({
    _id: '0123456789abcdef01234567' as never,
    username: 'guest-legacy',
    token: 'legacy-1',
    ts: new Date(),
    userAgent: 'Agent',
    ip: '10.0.0.1',
    host: 'example.com',
    lastChat: { _id: 'room-1', ts: new Date() },
    internalNote: 'hidden'
  })
  const { visitor } = (await register({ token: 'legacy-1', name: 'Legacy' })).json()
  t.equal(visitor._id, '0123456789abcdef01234567', 'existing string ids are read as they are')
  t.same(Object.keys(visitor).sort(), ['_id', '_updatedAt', 'lastChat', 'name', 'status', 'token', 'ts', 'username'])
})

t.test('request headers are stored on creation only when the host turns that on', async t => {
  const headers = { 'user-agent': 'TestAgent/1.0' }
  await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers, payload: { visitor: { token: 'hdr-off' } } })
  t.notOk((await visitors.findOne({ token: 'hdr-off' }))?.userAgent)

  const { db: otherDb } = await testDatabase(t, 'register-headers')
  const collecting = await livechatApp(t, otherDb, { collectHttpHeaders: true })
  const res = await collecting.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers, payload: { visitor: { token: 'hdr-on' } } })
  t.notOk('userAgent' in res.json().visitor, 'not in the answer')
  t.match(await otherDb.collection(DEFAULT_COLLECTIONS.visitors).findOne({ token: 'hdr-on' }),
    { userAgent: 'TestAgent/1.0', ip: '127.0.0.1', host: 'localhost:80' })

  const stored = async (token: string, headers: Record<string, string>, remoteAddress?: string) => {
    const answer = await collecting.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers, remoteAddress, payload: { visitor: { token } } })
    t.equal(answer.statusCode, 200, answer.body)
    const { userAgent, ip, host } = await otherDb.collection(DEFAULT_COLLECTIONS.visitors).findOne({ token }) ?? {} as Record<string, unknown>
    return { userAgent, ip, host }
  }
  const longest = `Agent/${'x'.repeat(506)}`
  t.same(await stored('hdr-512', { 'user-agent': longest, host: `${'h'.repeat(509)}:80` }),
    { userAgent: longest, ip: '127.0.0.1', host: `${'h'.repeat(509)}:80` }, '512 characters are kept')
  t.same(await stored('hdr-513', { 'user-agent': `${longest}x`, host: `${'h'.repeat(510)}:80` }),
    { userAgent: undefined, ip: '127.0.0.1', host: undefined }, 'longer ones are not stored')
  t.same(await stored('hdr-control', { 'user-agent': 'Agent\u0085/1.0', host: 'example.com\u009b' }),
    { userAgent: undefined, ip: '127.0.0.1', host: undefined }, 'nor ones with a control character')
  t.equal((await stored('hdr-ipv6', {}, '2001:db8::1')).ip, '2001:db8::1', 'an IPv6 address is kept')

  const { db: proxiedDb } = await testDatabase(t, 'register-headers-proxied')
  const proxied = await livechatApp(t, proxiedDb, { collectHttpHeaders: true }, { trustProxy: true })
  for (const [token, forwarded, ip] of [['hdr-xff-ip', '203.0.113.9', '203.0.113.9'], ['hdr-xff-junk', '<script>alert(1)</script>', undefined]]) {
    await proxied.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'x-forwarded-for': forwarded as string }, payload: { visitor: { token } } })
    t.equal((await proxiedDb.collection(DEFAULT_COLLECTIONS.visitors).findOne({ token }))?.ip, ip, `X-Forwarded-For ${forwarded}: an address or nothing`)
  }
})

t.test('an e-mail address beyond ASCII and a phone with an extension are stored as Rocket.Chat stores them', async t => {
  const res = await register({ token: 'intl-1', email: ' José@Exämple.com ', phone: '+55 51 5555-5555 ext. 12' })
  t.equal(res.statusCode, 200, res.body)
  const stored = await visitors.findOne({ token: 'intl-1' })
  t.same([stored?.visitorEmails, stored?.phone], [[{ address: 'josé@exämple.com' }], [{ phoneNumber: '+55 51 5555-5555 ext. 12' }]])
})

t.test('a token of 100 characters with @ works on every token route, and fits the :token paths', async t => {
  const token = `ana.souza+${'x'.repeat(78)}@example.com`
  t.equal(token.length, 100)
  t.equal((await register({ token, name: 'Ana' })).statusCode, 200)
  t.equal((await getVisitor(app, encodeURIComponent(token))).json().visitor.name, 'Ana', 'encoded')
  t.equal((await getVisitor(app, token)).json().visitor.name, 'Ana', 'as it is: @ and + need no encoding in a path')
  t.equal((await post(app, 'visitor.status', { token, status: 'away' })).json().status, 'away')
  t.equal((await visitors.findOne({ token }))?.status, 'away')
})

// Rocket.Chat's visitor.ts (POST livechat/visitor): `if (!token?.trim()) throw new
// Meteor.Error('error-invalid-token', 'Token cannot be empty')`, answered with the reason and the code.
t.test('an empty or blank token is Rocket.Chat\'s "Token cannot be empty", and nothing reaches the database', async t => {
  for (const token of ['', ' ', '\t\n', '\u00A0\u3000']) {
    let res: Awaited<ReturnType<typeof register>> | undefined
    const commands = await commandsDuring(client, async () => { res = await register({ token, name: 'Nobody' }) })
    t.same([res?.statusCode, res?.json()], [400, { success: false, error: 'Token cannot be empty [error-invalid-token]', errorType: 'error-invalid-token' }], JSON.stringify(token))
    t.same(commands, [], `${JSON.stringify(token)}: no command`)
  }
  t.equal(await visitors.countDocuments({ name: 'Nobody' }), 0)
  t.match((await register({ token: ` ${'a'.repeat(100)}` })).json(), { errorType: 'invalid-params', error: /^visitor\.token\b/ }, 'a padded token is a malformed one')
})

t.test('bounds: each violation is a 400 invalid-params naming the field, and writes nothing', async t => {
  const long = (n: number, c = 'a') => c.repeat(n)
  const valid: Array<[string, Record<string, unknown>]> = [
    ['token of 100', { token: long(100) }],
    ['token of every allowed character', { token: "Az09-_.~!&'()*+,=:@" }],
    ['token that is an e-mail address', { token: 'ana.souza+chat@example.com' }],
    ['token of three dots', { token: '...' }],
    ['name of 256', { token: 'b-name', name: long(256) }],
    ['email of 254', { token: 'b-email', email: `${long(64)}@${long(63)}.${long(63)}.${long(61)}` }],
    ['internationalised email', { token: 'b-idn-email', email: 'josé@exämple.com' }],
    ['email in another script', { token: 'b-script-email', email: '用户@例子.广告' }],
    ['phone of 40', { token: 'b-phone', phone: '+1 (2) 3-4.5' + long(28, '9') }],
    ['phone with an extension', { token: 'b-phone-ext', phone: '+55 51 5555-5555 ext. 12' }],
    ['phone with another extension', { token: 'b-phone-ramal', phone: '(51) 5555-5555 ramal 123' }],
    ['phone with #', { token: 'b-phone-hash', phone: '5555-5555 #12' }],
    ['username of 64', { token: 'b-user', username: long(64, 'u') }],
    ['50 custom fields', { token: 'b-cf', customFields: Array.from({ length: 50 }, () => ({ key: long(64, 'k'), value: long(1024) })) }],
    ['non-BMP characters as pairs', { token: 'b-emoji', name: 'Ana 😀' }],
    ['unknown properties ignored', { token: 'b-unknown', favouriteColour: 'blue' }]
  ]
  for (const [name, visitor] of valid) {
    const res = await register(visitor)
    t.equal(res.statusCode, 200, `${name}: ${res.body.slice(0, 200)}`)
  }

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['missing token', {}, 'visitor.token'],
    ['token of 101', { token: long(101) }, 'visitor.token'],
    ['token with a slash', { token: 'a/b' }, 'visitor.token'],
    ['token with a percent sign', { token: 'a%20b' }, 'visitor.token'],
    ['token with a question mark', { token: 'a?b' }, 'visitor.token'],
    ['token with a hash', { token: 'a#b' }, 'visitor.token'],
    ['token with a dollar', { token: '$ne' }, 'visitor.token'],
    ['token with a semicolon', { token: 'a;b' }, 'visitor.token'],
    ['token with a space inside', { token: 'a b' }, 'visitor.token'],
    ['token with a control character', { token: 'a\u0000b' }, 'visitor.token'],
    ['token of one dot', { token: '.' }, 'visitor.token'],
    ['token of two dots', { token: '..' }, 'visitor.token'],
    ['token as a number', { token: 12345 }, 'visitor.token'],
    ['token as an array', { token: ['abc'] }, 'visitor.token'],
    ['token as null', { token: null }, 'visitor.token'],
    ['token as an operator', { token: { $ne: null } }, 'visitor.token'],
    ['name of 257', { token: 'x1', name: long(257) }, 'visitor.name'],
    ['name with a control character', { token: 'x1', name: 'a\u0007b' }, 'visitor.name'],
    ['name with a newline', { token: 'x1', name: 'a\nb' }, 'visitor.name'],
    ['name with a lone surrogate', { token: 'x1', name: 'a\uD800b' }, 'visitor.name'],
    ['email of 255', { token: 'x1', email: `${long(64)}@${long(63)}.${long(63)}.${long(62)}` }, 'visitor.email'],
    ['email without @', { token: 'x1', email: 'not-an-address' }, 'visitor.email'],
    ['email with a bidirectional override', { token: 'x1', email: 'ana\u202E@example.com' }, 'visitor.email'],
    ['email with a space inside', { token: 'x1', email: 'ana souza@example.com' }, 'visitor.email'],
    ['email with a no-break space inside', { token: 'x1', email: 'ana@exa\u00A0mple.com' }, 'visitor.email'],
    ['phone with letters', { token: 'x1', phone: '555-CALL' }, 'visitor.phone'],
    ['phone with an extension without digits', { token: 'x1', phone: '5555-5555 ext.' }, 'visitor.phone'],
    ['phone with two extensions', { token: 'x1', phone: '5555 x1 x2' }, 'visitor.phone'],
    ['phone of 41', { token: 'x1', phone: long(41, '1') }, 'visitor.phone'],
    ['department of 65', { token: 'x1', department: long(65) }, 'visitor.department'],
    ['username with a space', { token: 'x1', username: 'a b' }, 'visitor.username'],
    ['username of 65', { token: 'x1', username: long(65) }, 'visitor.username'],
    ['51 custom fields', { token: 'x1', customFields: Array.from({ length: 51 }, () => ({ key: 'address', value: 'v' })) }, 'visitor.customFields'],
    ['empty custom field key', { token: 'x1', customFields: [{ key: '', value: 'v' }] }, 'visitor.customFields.0.key'],
    ['custom field key with a bidirectional override', { token: 'x1', customFields: [{ key: 'a\u202Eb', value: 'v' }] }, 'visitor.customFields.0.key'],
    ['custom field key of 65', { token: 'x1', customFields: [{ key: long(65), value: 'v' }] }, 'visitor.customFields.0.key'],
    ['custom field value of 1025', { token: 'x1', customFields: [{ key: 'address', value: long(1025) }] }, 'visitor.customFields.0.value'],
    ['custom field value as an object', { token: 'x1', customFields: [{ key: 'address', value: { $gt: '' } }] }, 'visitor.customFields.0.value'],
    ['overwrite as a string', { token: 'x1', customFields: [{ key: 'address', value: 'v', overwrite: 'yes' }] }, 'visitor.customFields.0.overwrite']
  ]
  for (const [name, visitor, field] of invalid) {
    const res = await register(visitor)
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { success: false, errorType: 'invalid-params', error: new RegExp(`^${field.replaceAll('.', '\\.')}\\b`) }, name)
  }
  t.equal(await visitors.countDocuments({ token: 'x1' }), 0, 'no invalid request wrote anything')

  t.equal(await visitors.countDocuments({ token: { $in: ['.', '..', '$ne', 'a;b'] } }), 0, 'nor any refused token')

  const noVisitor = await post(app, 'visitor', { token: 'abc' })
  t.same(noVisitor.json(), { success: false, error: 'visitor: Expected required property', errorType: 'invalid-params' })
})
