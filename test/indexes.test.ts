import t from 'tap'
import Fastify from 'fastify'
import { MongoClient, type Collection, type Db, type Document } from 'mongodb'
import livechat, { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { livechatApp, registerError } from './helpers/app.js'
import { withCollectionMethod } from './helpers/faults.js'
import { emptyDatabaseBeside, isFerretDB, testDatabase } from './helpers/database.js'
import { post } from './helpers/http.js'
import { indexName, ROCKET_CHAT_MESSAGE_INDEXES, ROCKET_CHAT_VISITOR_INDEXES, rocketChatCreatesItsIndexes } from './helpers/rocket-chat.js'

type Tap = typeof t

const { db } = await testDatabase(t, import.meta.filename)
const freshDatabase = (suffix: string) => emptyDatabaseBeside(db, suffix)
const onFerretDB = await isFerretDB(db)
const rocketChatStarts = (database: Db) => rocketChatCreatesItsIndexes(database, onFerretDB)

async function indexesByName (collection: Collection<Document>): Promise<Record<string, Document>> {
  return Object.fromEntries((await collection.indexes()).map(index => [index.name, index]))
}

/** Every index Rocket.Chat declares is there under its name, on its key, and not unique. */
async function assertRocketChatIndexes (t: Pick<Tap, 'same'>, database: Db): Promise<void> {
  for (const [collection, specs] of [[DEFAULT_COLLECTIONS.visitors, ROCKET_CHAT_VISITOR_INDEXES], [DEFAULT_COLLECTIONS.messages, ROCKET_CHAT_MESSAGE_INDEXES]] as const) {
    const byName = await indexesByName(database.collection(collection))
    for (const spec of specs.filter(spec => !onFerretDB || spec.partialFilterExpression === undefined)) {
      t.same([byName[indexName(spec)]?.key, byName[indexName(spec)]?.unique], [spec.key, undefined], `${collection}: Rocket.Chat's ${indexName(spec)}`)
    }
  }
}

const register = (app: Awaited<ReturnType<typeof livechatApp>>, visitor: Record<string, unknown>) => post(app, 'visitor', { visitor })

t.test('the indexes are ensured, named and idempotent; the unique ones take key patterns Rocket.Chat never uses', async t => {
  await livechatApp(t, db)
  await livechatApp(t, db, { decorator: 'again' })
  const visitorIndexes = await indexesByName(db.collection(DEFAULT_COLLECTIONS.visitors))
  t.match(visitorIndexes.livechat_unique_token, { key: { token: -1 }, unique: true })
  t.match(visitorIndexes.livechat_unique_username, { key: { username: -1 }, unique: true })
  t.match(visitorIndexes['identity.userId_1'], { key: { 'identity.userId': 1 }, unique: true })
  t.match(visitorIndexes['visitorEmails.address_1'], { key: { 'visitorEmails.address': 1 } })
  t.match(visitorIndexes['phone.phoneNumber_1'], { key: { 'phone.phoneNumber': 1 } })
  t.match(visitorIndexes.erasureRequestedAt_1, { key: { erasureRequestedAt: 1 } })
  t.notOk('token_1' in visitorIndexes || 'username_1' in visitorIndexes, 'Rocket.Chat\'s own are Rocket.Chat\'s to create')
  const messageIndexes = await indexesByName(db.collection(DEFAULT_COLLECTIONS.messages))
  t.match(messageIndexes['navigation.token_1'], { key: { 'navigation.token': 1 } })
  t.match(messageIndexes.expireAt_1, { key: { expireAt: 1 } })
  t.equal(await db.collection(DEFAULT_COLLECTIONS.visitors).countDocuments(), 0, 'the uniqueness probes are gone')
})

t.test('erased visitors (no token, no username) do not collide in the unique indexes', async t => {
  const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
  await visitors.insertMany([{ _id: 'gone-1', disabled: true }, { _id: 'gone-2', disabled: true }] as never[])
  t.equal(await visitors.countDocuments({ disabled: true }), 2)
  await visitors.deleteMany({})
})

for (const order of ['Rocket.Chat first', 'the plugin first'] as const) {
  t.test(`${order}: Rocket.Chat's index creation succeeds, and uniqueness holds beside its plain token_1 and username_1`, async t => {
    const shared = await freshDatabase(order)
    if (order === 'Rocket.Chat first') await rocketChatStarts(shared)
    const app = await livechatApp(t, shared)
    const second = await livechatApp(t, shared, { decorator: 'secondProcess' })
    await rocketChatStarts(shared)
    await rocketChatStarts(shared)
    await assertRocketChatIndexes(t, shared)
    const visitors = shared.collection(DEFAULT_COLLECTIONS.visitors)

    const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => register(i % 2 === 0 ? app : second, { token: 'one-token' })))
    t.same(new Set(storm.map(answer => answer.statusCode)), new Set([200]))
    t.equal(new Set(storm.map(answer => answer.json().visitor._id)).size, 1, 'one visitor for the token')
    t.equal(await visitors.countDocuments({ token: 'one-token' }), 1)

    const guests = await Promise.all(Array.from({ length: 20 }, (_, i) => register(i % 2 === 0 ? app : second, { token: `guest-token-${i}` })))
    t.equal(new Set(guests.map(answer => answer.json().visitor.username)).size, 20, 'guest numbers never repeat')

    const named = await Promise.all(Array.from({ length: 10 }, (_, i) => register(i % 2 === 0 ? app : second, { token: `named-${i}`, username: 'chosen.name' })))
    t.same(named.map(answer => answer.statusCode).sort(), [200, 400, 400, 400, 400, 400, 400, 400, 400, 400], 'one gets the name')
    t.same(named.find(answer => answer.statusCode === 400)?.json(), { success: false, error: '[error-invalid-username]', errorType: 'error-invalid-username' })
    t.equal(await visitors.countDocuments({ username: 'chosen.name' }), 1)
  })
}

t.test('the plugin\'s earlier unique token_1 and username_1 are dropped for the new ones, and Rocket.Chat\'s index creation succeeds again', async t => {
  const upgraded = await freshDatabase('upgraded')
  const visitors = upgraded.collection(DEFAULT_COLLECTIONS.visitors)
  // What the plugin's earlier versions created under Rocket.Chat's names.
  await visitors.createIndex({ token: 1 }, { name: 'token_1', unique: true, sparse: true })
  await visitors.createIndex({ username: 1 }, { name: 'username_1', unique: true, sparse: true })
  const logged: string[] = []
  const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => logged.push(line) } } })
  await app.register(livechat, { db: upgraded })
  await app.ready()
  t.teardown(() => app.close())
  t.match(logged.map(line => JSON.parse(line)).find(line => /earlier versions/.test(line.msg)), { indexes: ['token_1', 'username_1'] })
  const byName = await indexesByName(visitors)
  t.notOk('token_1' in byName || 'username_1' in byName)
  t.match(byName.livechat_unique_token, { unique: true })
  await rocketChatStarts(upgraded)
  await assertRocketChatIndexes(t, upgraded)
})

t.test('another process dropping an earlier unique index first is no error; another refusal is LIVECHAT_INDEX_DROP', async t => {
  const upgraded = await freshDatabase('drop-race')
  await upgraded.collection(DEFAULT_COLLECTIONS.visitors).createIndex({ token: 1 }, { name: 'token_1', unique: true, sparse: true })
  const refusing = withCollectionMethod(upgraded, 'dropIndex', () => async () => { throw new Error('not authorized to drop indexes') })
  t.match(await registerError({ db: refusing }), {
    code: 'LIVECHAT_INDEX_DROP', message: `Cannot drop the index token_1 on ${DEFAULT_COLLECTIONS.visitors}: not authorized to drop indexes`
  })
  const racing = withCollectionMethod(upgraded, 'dropIndex', original => async (...args: never[]) => {
    await original(...args)
    return original(...args)
  })
  const app = await livechatApp(t, racing)
  t.ok(app.hasDecorator('livechat'))
  t.notOk('token_1' in await indexesByName(upgraded.collection(DEFAULT_COLLECTIONS.visitors)))
})

t.test('a unique index the server keeps plain fails start-up before the earlier unique ones are dropped', async t => {
  const lying = await freshDatabase('not-unique')
  const visitors = lying.collection(DEFAULT_COLLECTIONS.visitors)
  await visitors.createIndex({ token: 1 }, { name: 'token_1', unique: true, sparse: true })
  // A plain index under the plugin's name: FerretDB 1.24 answers the unique one's creation with success and leaves it plain;
  // MongoDB refuses the creation (IndexKeySpecsConflict).
  await visitors.createIndex({ username: -1 }, { name: 'livechat_unique_username' })
  const error = await registerError({ db: lying })
  if (onFerretDB) {
    t.match(error, { code: 'LIVECHAT_UNIQUENESS_NOT_ENFORCED', statusCode: 500 })
    t.equal(error.message, `The index livechat_unique_username on ${DEFAULT_COLLECTIONS.visitors} was reported created but lets two visitors share a username. ` +
      'Drop the index of that name and start again, or register with ensureIndexes: false and enforce it yourself')
  } else {
    t.match(error, { code: 'LIVECHAT_INDEX_CREATION', message: /^Cannot create the index livechat_unique_username/ })
  }
  t.match((await indexesByName(visitors)).token_1, { unique: true }, 'the earlier unique index still holds')
  t.equal(await visitors.countDocuments(), 0, 'no probe written')
})

type CreateIndex = (key: Record<string, unknown>, options: Record<string, unknown>) => Promise<string>
type ListIndexes = () => Promise<Document[]>

/** A server that takes `unique` on the field's index and ignores it, but lists the index as unique. */
function ignoringUniqueOf (database: Db, field: string): Db {
  const creating = withCollectionMethod(database, 'createIndex', original => async (key: Record<string, unknown>, options: Record<string, unknown>) => {
    const { unique, ...plain } = options
    return (original as unknown as CreateIndex)(key, field in key ? plain : options)
  })
  return withCollectionMethod(creating, 'indexes', original => async () =>
    (await (original as unknown as ListIndexes)()).map(index => field in index.key ? { ...index, unique: true } : index))
}

t.test('a server that lists a unique index as unique but lets a second visitor in fails start-up, whichever field', async t => {
  for (const field of ['token', 'username', 'identity.userId']) {
    const fresh = await freshDatabase(`ignored-${field}`)
    t.match(await registerError({ db: ignoringUniqueOf(fresh, field) }), { code: 'LIVECHAT_UNIQUENESS_NOT_ENFORCED', message: new RegExp(`share a ${field.replace('.', '\\.')}\\. `) }, field)
    t.equal(await fresh.collection(DEFAULT_COLLECTIONS.visitors).countDocuments(), 0, 'the probes are deleted')
  }
})

t.test('a probe that cannot be deleted fails start-up; a failing probe\'s own error comes first', async t => {
  const stuck = await freshDatabase('probe-stuck')
  const undeletable = withCollectionMethod(stuck, 'deleteMany', () => async () => { throw new Error('delete refused') })
  t.match(await registerError({ db: undeletable }), { message: 'delete refused' })
  await stuck.collection(DEFAULT_COLLECTIONS.visitors).deleteMany({})
  let inserts = 0
  const secondInsertFails = withCollectionMethod(undeletable, 'insertOne', original => async (...args: never[]) => {
    if (++inserts === 2) throw new Error('disk full')
    return original(...args)
  })
  t.match(await registerError({ db: secondInsertFails }), { message: 'disk full' })
})

t.test('visitors sharing a token fail start-up with how many, and never which', async t => {
  const legacy = await freshDatabase('duplicates')
  await legacy.collection(DEFAULT_COLLECTIONS.visitors).insertMany([
    { _id: 'd1', token: 'dup-a' }, { _id: 'd2', token: 'dup-a' }, { _id: 'd3', token: 'dup-a' }, { _id: 'd4', token: 'dup-b' }, { _id: 'd5', token: 'dup-b' }
  ] as never[])
  const error = await registerError({ db: legacy })
  t.match(error, { code: 'LIVECHAT_DUPLICATE_VISITORS' })
  t.equal(error.message, `Cannot create the unique index livechat_unique_token on ${DEFAULT_COLLECTIONS.visitors}: 2 token value(s) are each held by more than one visitor (5 visitors in all); ` +
    `list them with db.${DEFAULT_COLLECTIONS.visitors}.aggregate([{$group: {_id: "$token", n: {$sum: 1}}}, {$match: {n: {$gt: 1}}}]). ` +
    'Merge or remove the duplicates, or register with ensureIndexes: false')
  const app = await livechatApp(t, legacy, { ensureIndexes: false })
  t.notOk('livechat_unique_token' in await indexesByName(legacy.collection(DEFAULT_COLLECTIONS.visitors)), 'with ensureIndexes false the host looks after the indexes')
  t.ok(app.hasDecorator('livechat'))
})

t.test('a duplicate-key refusal without duplicates left (a race) is reported without the key\'s value', async t => {
  const raced = await freshDatabase('dup-key-race')
  const refusing = withCollectionMethod(raced, 'createIndex', original => async (...args: never[]) => {
    const [key] = args as Array<Record<string, unknown>>
    if ('token' in key) throw Object.assign(new Error('E11000 duplicate key error collection: x index: livechat_unique_token dup key: { token: "secret-raced-token" }'), { code: 11000 })
    return original(...args)
  })
  const error = await registerError({ db: refusing })
  t.match(error, { code: 'LIVECHAT_INDEX_CREATION', message: /index: livechat_unique_token dup key: \{ \[redacted\] \}$/ })
  t.notMatch(error.message, 'secret-raced-token')
})

t.test('an index the database refuses for another reason is reported with its name', async t => {
  const client = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', { serverSelectionTimeoutMS: 200 })
  t.teardown(() => client.close())
  const error = await registerError({ db: client.db('down') })
  t.match(error, { code: 'LIVECHAT_INDEX_CREATION', message: new RegExp(`^Cannot create the index visitorEmails\\.address_1 on ${DEFAULT_COLLECTIONS.visitors}: `) })
})
