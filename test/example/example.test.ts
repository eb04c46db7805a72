import t from 'tap'
import { createHmac } from 'node:crypto'
import { MongoClient } from 'mongodb'
import { buildApp } from '../../example/app.js'
import { DATABASE_TIMEOUT_MS, databaseNameOf, readConfig } from '../../example/config.js'
import { startEmbeddedDb } from '../../tools/embedded-db/launcher.js'
import { testDatabase } from '../helpers/database.js'
import { freezableProxy } from '../helpers/freezable-proxy.js'
import { timedInject } from '../helpers/http.js'
import { startScript } from '../helpers/scripts.js'
import { DEFAULT_COLLECTIONS, livechatRequestSerializer } from '../../lib/index.js'
import { temporaryDir } from '../helpers/temporary-dir.js'

const { db, url, clientOptions } = await testDatabase(t, import.meta.filename)

t.test('configuration from the environment', async t => {
  t.match(readConfig({}), {
    host: '127.0.0.1', port: 3000, mongoUrl: undefined, dbName: 'pimentachat', logLevel: 'info', dataDir: /\.data$/, demoData: true, agentToken: undefined, rateLimit: true, trustProxy: false
  })
  t.match(readConfig({ LIVECHAT_RATE_LIMIT: 'off' }), { rateLimit: false })
  t.equal(readConfig({}).identitySecret, undefined)
  t.equal(readConfig({ LIVECHAT_IDENTITY_SECRET: 'k'.repeat(32) }).identitySecret, 'k'.repeat(32))
  t.match(readConfig({ TRUST_PROXY: '10.0.0.1,10.0.0.2' }), { rateLimit: true, trustProxy: '10.0.0.1,10.0.0.2' })
  t.match(readConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7/32, ::1, fd00::/8' }), { trustProxy: '10.0.0.0/8, 192.168.1.7/32, ::1, fd00::/8' })
  t.match(readConfig({ TRUST_PROXY: 'false' }), { trustProxy: false })
  t.match(readConfig({
    HOST: '0.0.0.0', PORT: '8080', MONGO_URL: 'mongodb://db.example:27017/chat', LOG_LEVEL: 'debug', DATA_DIR: '/tmp/x', LIVECHAT_DEMO_DATA: 'off', LIVECHAT_AGENT_TOKEN: 's3cret'
  }), { host: '0.0.0.0', port: 8080, mongoUrl: 'mongodb://db.example:27017/chat', dbName: 'chat', logLevel: 'debug', dataDir: '/tmp/x', demoData: false, agentToken: 's3cret' })
  t.equal(databaseNameOf('mongodb://a:1,b:2/rs-db?replicaSet=rs0'), 'rs-db')
  t.equal(databaseNameOf('mongodb://a:1/?x=1'), 'pimentachat')
  t.equal(databaseNameOf('mongodb://a:1'), 'pimentachat')
  t.equal(databaseNameOf('mongodb+srv://u:p@cluster.example/my%20db'), 'my db')
  t.throws(() => readConfig({ PORT: 'http' }), { name: 'TypeError', message: 'PORT must be a port number, got http' })
})

t.test('TRUST_PROXY=true is refused with the reason: any client could choose its IP and so its rate limit; addresses and CIDRs only', async t => {
  t.throws(() => readConfig({ TRUST_PROXY: 'true' }), { name: 'TypeError', message: /^TRUST_PROXY=true would trust X-Forwarded-For from any client, which could then choose its IP, and so its rate limit/ })
  for (const [value, wrong] of [['1', '1'], ['loopback', 'loopback'], ['10.0.0.1,proxy.example', 'proxy.example'], ['10.0.0.0/33', '10.0.0.0/33'], ['::1/129', '::1/129'], ['10.0.0.0/8/8', '10.0.0.0/8/8'], ['10.0.0.1,', '']]) {
    t.throws(() => readConfig({ TRUST_PROXY: value }), { name: 'TypeError', message: `TRUST_PROXY must list addresses or CIDRs separated by commas, got "${wrong}"` }, value)
  }
})

t.test('the demo data goes into the embedded database only, unless LIVECHAT_DEMO_DATA=on asks for it', async t => {
  t.equal(readConfig({}).demoData, true, 'the embedded database gets it')
  t.equal(readConfig({ LIVECHAT_DEMO_DATA: 'off' }).demoData, false)
  t.equal(readConfig({ MONGO_URL: 'mongodb://db.example/chat' }).demoData, false, 'a database named by MONGO_URL does not')
  t.equal(readConfig({ MONGO_URL: 'mongodb://db.example/chat', LIVECHAT_DEMO_DATA: 'on' }).demoData, true, 'unless asked')
  t.throws(() => readConfig({ LIVECHAT_DEMO_DATA: 'yes' }), { name: 'TypeError', message: 'LIVECHAT_DEMO_DATA must be on or off, got yes' })
})

t.test('the example app logs and answers a 404 without the token it may carry', async t => {
  const lines: string[] = []
  const app = await buildApp({ db, logger: { level: 'info', stream: { write: (line: string) => lines.push(line) }, serializers: { req: livechatRequestSerializer } } })
  t.teardown(() => app.close())
  for (const request of [
    { method: 'HEAD', url: '/api/v1/livechat/visitor/example-secret' },
    { method: 'GET', url: '/api/v1/livechat/visitor/example-secret/' },
    { method: 'PUT', url: '/api/v1/livechat/visitor/example-secret' },
    { method: 'GET', url: '/Api/V1/Livechat/Visitor/example-secret' }
  ] as const) {
    const res = await app.inject(request)
    t.equal(res.statusCode, 404, `${request.method} ${request.url}`)
    t.notMatch(res.body, 'example-secret')
  }
  t.ok(lines.some(line => line.includes('route not found')))
  t.notMatch(lines.join(''), 'example-secret')
})

t.test('the agent routes open to the bearer of LIVECHAT_AGENT_TOKEN only', async t => {
  const app = await buildApp({ db, agentToken: 'agent-s3cret' })
  t.teardown(() => app.close())
  const asAgent = (authorization?: string) => app.inject({
    url: '/api/v1/livechat/visitors.search?term=a',
    headers: authorization === undefined ? {} : { authorization }
  })
  t.equal((await asAgent('Bearer agent-s3cret')).statusCode, 200)
  await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: 'example-room', t: 'l', v: { _id: 'example-visitor' } } as never)
  for (const [method, url, payload] of [
    ['GET', `/api/v1/livechat/visitors.autocomplete?selector=${encodeURIComponent('{"term":"a"}')}`],
    ['GET', '/api/v1/livechat/visitors.chatHistory/room/example-room/visitor/example-visitor'],
    ['GET', '/api/v1/livechat/visitors.searchChats/room/example-room/visitor/example-visitor?searchText=a'],
    ['GET', '/api/v1/livechat/custom-fields'],
    ['GET', '/api/v1/livechat/custom-fields/address'],
    ['POST', '/api/v1/livechat/custom-fields.save', { customFieldId: null, customFieldData: { field: 'example-agent', label: 'L', scope: 'visitor', visibility: 'visible' } }],
    ['POST', '/api/v1/livechat/custom-fields.delete', { customFieldId: 'example-agent' }]
  ] as const) {
    const res = await app.inject({ method, url, payload, headers: { authorization: 'Bearer agent-s3cret' } })
    t.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`)
    t.equal((await app.inject({ method, url, payload })).statusCode, 401, `${method} ${url} without the token`)
  }
  for (const authorization of [undefined, 'Bearer wrong', 'agent-s3cret', 'Bearer agent-s3cret ', 'Basic agent-s3cret']) {
    t.equal((await asAgent(authorization)).statusCode, 401, String(authorization))
  }
  const closed = await buildApp({ db })
  t.teardown(() => closed.close())
  t.equal((await closed.inject('/api/v1/livechat/visitors.search?term=a')).statusCode, 401, 'without the variable the routes stay closed')
})

t.test('the example app enforces the plugin\'s rate limits unless told not to', async t => {
  const limited = await buildApp({ db, rateLimit: true })
  t.teardown(() => limited.close())
  const register = (app: typeof limited) => app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'example-rl' } } })
  const limitedStatuses = []
  for (let i = 0; i < 6; i++) limitedStatuses.push((await register(limited)).statusCode)
  t.same(limitedStatuses, [200, 200, 200, 200, 200, 429])
  t.equal((await limited.inject('/health')).statusCode, 200, 'routes without a declared limit have none')
  const trusting = await buildApp({ db, rateLimit: true, trustProxy: true })
  t.teardown(() => trusting.close())
  const forwarded = (ip: string) => trusting.inject({
    method: 'POST', url: '/api/v1/livechat/visitor', headers: { 'x-forwarded-for': ip }, payload: { visitor: { token: 'example-rl' } }
  })
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await forwarded(`203.0.113.${i}`)).statusCode)
  t.same(statuses, [200, 200, 200, 200, 200, 200], 'behind a trusted proxy, each forwarded client has its own limit')
})

t.test('GET /health is 200 when the database answers and 503 when not', async t => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  t.same((await app.inject('/health')).json(), { status: 'ok' })
  const client = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', { serverSelectionTimeoutMS: 200 })
  t.teardown(() => client.close())
  const down = await buildApp({ db: client.db('down') }).catch(error => error)
  t.match(down, { code: 'LIVECHAT_INDEX_CREATION' }, 'the plugin refuses to start without its indexes')
})

t.test('GET /health turns 503 when the database goes away', async t => {
  const dataDir = await temporaryDir(t, 'example')
  const database = await startEmbeddedDb({ dataDir })
  const client = new MongoClient(database.url, { serverSelectionTimeoutMS: 300 })
  t.teardown(() => client.close())
  const app = await buildApp({ db: client.db('health') })
  t.teardown(() => app.close())
  t.equal((await app.inject('/health')).statusCode, 200)
  await database.stop()
  await database.stop()
  const res = await app.inject('/health')
  t.same([res.statusCode, res.json()], [503, { status: 'database unavailable' }])
})

t.test('GET /health answers 503 at the example\'s database deadline when the database stops answering', async t => {
  const proxy = await freezableProxy(t, url)
  const client = new MongoClient(proxy.url, clientOptions)
  t.teardown(() => client.close())
  const app = await buildApp({ db: client.db(db.databaseName) })
  t.teardown(() => app.close())
  t.equal((await app.inject('/health')).statusCode, 200)
  proxy.freeze()
  const { res, ms } = await timedInject(app, { url: '/health' })
  t.same([res.statusCode, res.json()], [503, { status: 'database unavailable' }])
  t.ok(ms >= DATABASE_TIMEOUT_MS - 5 && ms < DATABASE_TIMEOUT_MS + 700, `answered in ${Math.round(ms)} ms`)
})

t.test('npm start: serves the API on MONGO_URL and closes cleanly on SIGTERM, a second signal changing nothing', async t => {
  const server = startScript('example/server.ts', { MONGO_URL: url.replace(/\/$/, '/example_server'), PORT: '0', LOG_LEVEL: 'info' })
  const listening = await server.waitFor(/Server listening at/)
  const address = JSON.parse(listening).msg.match(/http:\/\/[\d.:]+/)[0]
  const postJson = (route: string, body: unknown) => fetch(`${address}/api/v1/livechat/${route}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
  })
  t.equal((await postJson('visitor', { visitor: { token: 'served-1' } })).status, 200)
  const seedVisitor = await postJson('visitor', {
    visitor: { token: 'iNKE8a6k6cjbqWhWd', customFields: [{ key: 'address', value: 'pimentaCHAT street', overwrite: true }] }
  })
  t.notOk(((await seedVisitor.json()) as { visitor: { livechatData?: unknown } }).visitor.livechatData, 'no demo custom field is defined in a MONGO_URL database')
  const seedPage = await postJson('page.visited', {
    token: 'iNKE8a6k6cjbqWhWd', rid: 'vp3D9H8ud6HYvRpvq', pageInfo: { change: 'url', title: '', location: { href: 'http://localhost:3000/demo.html#page-4' } }
  })
  t.equal(seedPage.status, 400, 'nor the demo room')
  // Two different signals, sent together: the same signal twice may merge into
  // one, and a second one sent later may find the server already gone.
  server.kill('SIGTERM')
  server.kill('SIGINT')
  const [code] = await server.exit
  t.equal(code, 0)
  t.equal(server.lines.filter(line => line.includes('"msg":"closing"')).length, 1, 'the second signal changed nothing')
  t.match(server.lines.join('\n'), '"msg":"closed"')
  const client = new MongoClient(url)
  t.teardown(() => client.close())
  t.equal(await client.db('example_server').collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: 'served-1' }), 1)
  t.equal(await client.db('example_server').collection(DEFAULT_COLLECTIONS.rooms).countDocuments(), 0, 'the database holds no demo room')
})

t.test('npm start without MONGO_URL starts the embedded database in DATA_DIR and stops it on SIGINT', async t => {
  const dataDir = await temporaryDir(t, 'example')
  const server = startScript('example/server.ts', { MONGO_URL: '', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' })
  const started = JSON.parse(await server.waitFor(/embedded database started/))
  t.match(started, { url: /^mongodb:\/\/127\.0\.0\.1:\d+\/$/, dataDir })
  const address = JSON.parse(await server.waitFor(/Server listening at/)).msg.match(/http:\/\/[\d.:]+/)[0]
  const seedPage = await fetch(`${address}/api/v1/livechat/page.visited`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: 'iNKE8a6k6cjbqWhWd', rid: 'vp3D9H8ud6HYvRpvq', pageInfo: { change: 'url', title: '', location: { href: 'http://localhost:3000/demo.html#page-4' } } })
  })
  t.equal(seedPage.status, 200, 'the embedded database has the demo room of the seed')
  server.kill('SIGINT')
  t.equal((await server.exit)[0], 0)
  const client = new MongoClient(started.url, { serverSelectionTimeoutMS: 300 })
  t.teardown(() => client.close())
  await t.rejects(client.db('x').command({ ping: 1 }), 'the embedded database stopped too')
})

t.test('with an identity secret the example app verifies identities', async t => {
  const secret = 'example-identity-secret-of-32-bytes!'
  const app = await buildApp({ db, identitySecret: secret })
  t.teardown(() => app.close())
  const hash = createHmac('sha256', secret).update('shop-user-1').digest('hex')
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'example-verified', identity: { userId: 'shop-user-1', hash } } } })
  t.match([res.statusCode, res.json().visitor.identity], [200, { userId: 'shop-user-1' }])
})
