import t from 'tap'
import type { Db } from 'mongodb'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { NAVIGATION_HISTORY_TYPE } from '../schemas/shared.js'
import { livechatApp } from './helpers/app.js'
import { databaseContents, databaseUrl, emptyDatabaseBeside, isFerretDB, testDatabase } from './helpers/database.js'
import { rocketChatCreatesItsIndexes, setRoomIdByToken } from './helpers/rocket-chat.js'
import { startScript } from './helpers/scripts.js'

// npx pimentachat-livechat doctor --url <url> [--fix], run as the package's bin runs it.
const { db, url } = await testDatabase(t, import.meta.filename)
const freshDatabase = (suffix: string) => emptyDatabaseBeside(db, suffix)
const onFerretDB = await isFerretDB(db)
const urlOf = (database: Db) => databaseUrl(url, database.databaseName)

async function doctor (...args: string[]): Promise<{ code: unknown, output: string }> {
  return doctorWith({ MONGO_URL: undefined }, ...args)
}

async function doctorWith (env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: unknown, output: string }> {
  const run = startScript('lib/doctor/cli.ts', env, args)
  const [code] = await run.exit
  return { code, output: run.lines.join('\n') }
}

/**
 * Visitors as Rocket.Chat's registerGuest inserts them (LivechatVisitors.insertOne), two of them sharing a token
 * as its check-then-insert lets them; two holding a null token, beside one erased without any; eleven usernames
 * held twice each; and one verified user held by eleven visitors.
 */
async function fillAsRocketChat (database: Db): Promise<void> {
  await rocketChatCreatesItsIndexes(database, onFerretDB)
  const ts = new Date('2026-11-01T10:00:00Z')
  await database.collection(DEFAULT_COLLECTIONS.visitors).insertMany([
    { _id: 'rc-1', token: 'raced-token-secret', username: 'guest-1', ts, _updatedAt: ts },
    { _id: 'rc-2', token: 'raced-token-secret', username: 'guest-2', ts, _updatedAt: ts },
    { _id: 'rc-3', token: 'other-token', username: 'guest-3', ts, _updatedAt: ts },
    { _id: 'rc-4', token: null, ts, _updatedAt: ts },
    { _id: 'rc-5', token: null, ts, _updatedAt: ts },
    { _id: 'rc-erased', disabled: true, _updatedAt: ts },
    ...Array.from({ length: 22 }, (_, i) => ({ _id: `named-${String(i).padStart(2, '0')}`, username: `twice-${i % 11}`, ts })),
    ...Array.from({ length: 11 }, (_, i) => ({ _id: `user-${String(i).padStart(2, '0')}`, identity: { userId: 'one-user' }, ts }))
  ] as never[])
}

/** Every document and every index of the database. */
async function snapshot (database: Db): Promise<string> {
  const names = (await database.listCollections().toArray()).map(({ name }) => name).sort()
  return await databaseContents(database) + JSON.stringify(await Promise.all(names.map(name => database.collection(name).indexes())))
}

const navigationEntry = (id: string, token: string, fields: Record<string, unknown>) =>
  ({ _id: id, t: NAVIGATION_HISTORY_TYPE, ts: new Date(), msg: 'Page - http://a.example/', u: { _id: 'rocket.cat', username: 'rocket.cat' }, navigation: { token, page: { change: 'url', title: 'Page', location: { href: 'http://a.example/' } } }, ...fields })

/** History as Rocket.Chat's savePageHistory writes it (expireAt a number), and as the plugin's earlier versions did (a Date), some of it in a room. */
async function fillHistory (database: Db, legacyRoomless: number): Promise<Date> {
  const expiry = new Date(Date.now() + 86_400_000)
  const messages = database.collection(DEFAULT_COLLECTIONS.messages)
  await messages.insertMany([
    navigationEntry('rc-page', 'other-token', { rid: null, expireAt: expiry.getTime() }),
    ...Array.from({ length: legacyRoomless }, (_, i) => navigationEntry(`legacy-${i}`, 'legacy-token', { expireAt: expiry })),
    navigationEntry('legacy-in-room', 'roomed-token', { expireAt: expiry })
  ] as never[])
  await setRoomIdByToken(messages, 'roomed-token', 'rc-room')
  return expiry
}

t.test('a database filled as Rocket.Chat fills it: the doctor reports what the plugin needs, changing nothing', async t => {
  const filled = await freshDatabase('report')
  await fillAsRocketChat(filled)
  await fillHistory(filled, 3)
  const before = await snapshot(filled)
  const { code, output } = await doctor('doctor', '--url', urlOf(filled))
  t.equal(code, 1, 'something to do')
  t.equal(await snapshot(filled), before, 'nothing changed, documents or indexes')
  t.match(output, `Database ${filled.databaseName}, Rocket.Chat's collection names, read only.`)
  t.match(output, "  NEEDS token: 2 value(s) are each held by more than one visitor (4 visitors in all): its unique index cannot be created; the visitors' _ids, a group per value: rc-1, rc-2 | rc-4, rc-5\n" +
    '        --fix: not done by --fix: which visitor is the real one is yours to decide; merge or remove the others')
  t.notMatch(output, 'raced-token-secret', 'a token is a credential: never printed')
  t.match(output, / {2}NEEDS username: 11 value\(s\) are each held by more than one visitor \(22 visitors in all\): .*: (?:named-\d\d, named-\d\d \| ){9}named-\d\d, named-\d\d \| \.\.\.\n/, 'ten groups, then ...')
  t.match(output, "  NEEDS identity.userId: 1 value(s) are each held by more than one visitor (11 visitors in all): its unique index cannot be created; the visitors' _ids, a group per value: " +
    'user-00, user-01, user-02, user-03, user-04, user-05, user-06, user-07, user-08, user-09, ...\n', 'ten _ids of a group, then ...')
  t.match(output, `  NEEDS livechat_unique_token on ${DEFAULT_COLLECTIONS.visitors}: missing\n        --fix: not done by --fix while visitors share a unique field`)
  t.match(output, `  ok    navigation.token_1 on ${DEFAULT_COLLECTIONS.messages}: present`)
  t.match(output, '  NEEDS 3 roomless navigation entries have a Date expiry: Rocket.Chat\'s TTL index deletes them even after Rocket.Chat gives them a room')
  t.match(output, '  NEEDS 1 navigation entries in a room have a Date expiry: Rocket.Chat\'s TTL index deletes them: the room loses its history')
  t.match(output, /\n\d+ thing\(s\) to do\.$/)
})

t.test('--fix stores Date expiries as numbers but leaves the indexes while visitors share a token', async t => {
  const filled = await freshDatabase('fix-duplicates')
  await fillAsRocketChat(filled)
  const expiry = await fillHistory(filled, 3)
  const { code, output } = await doctor('doctor', '--url', urlOf(filled), '--fix')
  t.equal(code, 1, 'the duplicates are still to do')
  t.match(output, '  done  indexes: left as they are, since visitors share a unique field\n  done  history: 4 Date expiries stored in milliseconds')
  const messages = filled.collection(DEFAULT_COLLECTIONS.messages)
  t.equal(await messages.countDocuments({ expireAt: { $type: 'date' } }), 0)
  t.equal(await messages.countDocuments({ expireAt: expiry.getTime() }), 5, 'the same instant; Rocket.Chat\'s own entry as it was')
  t.equal((await messages.findOne({ _id: 'legacy-in-room' as never }))?.rid, 'rc-room')
  t.notOk((await filled.collection(DEFAULT_COLLECTIONS.visitors).indexes()).some(index => index.name === 'livechat_unique_token'))
  t.match(output.slice(output.indexOf('After --fix')), '  ok    roomless navigation entries: none has a Date expiry\n  ok    navigation entries in a room: none has a Date expiry')
})

t.test('an upgraded database: --fix makes the indexes as start-up does, drops the earlier unique ones, and then nothing is left to do', async t => {
  const upgraded = await freshDatabase('upgraded')
  const visitors = upgraded.collection(DEFAULT_COLLECTIONS.visitors)
  await visitors.createIndex({ token: 1 }, { name: 'token_1', unique: true, sparse: true })
  await visitors.createIndex({ username: 1 }, { name: 'username_1', unique: true, sparse: true })
  const report = await doctor('doctor', '--url', urlOf(upgraded))
  t.equal(report.code, 1)
  t.match(report.output, `  NEEDS token_1 on ${DEFAULT_COLLECTIONS.visitors}: unique, made by the plugin's pre-release builds: Rocket.Chat's index creation fails while it is\n` +
    '        --fix: dropped once the plugin\'s unique indexes exist; Rocket.Chat creates its plain one again')
  const fixed = await doctor('doctor', '--url', urlOf(upgraded), '--fix')
  t.equal(fixed.code, 0, fixed.output)
  t.match(fixed.output, '  done  indexes: ensured, and each unique one proven to refuse a second visitor; dropped token_1, username_1')
  t.match(fixed.output, /After --fix\n(?:.*\n)*Nothing to do\.$/)
  await rocketChatCreatesItsIndexes(upgraded, onFerretDB)
  t.ok((await visitors.indexes()).some(index => index.name === 'token_1' && index.unique === undefined), 'Rocket.Chat\'s plain token_1 again')
  t.equal(await visitors.countDocuments(), 0, 'no probe left')
})

t.test('a database the plugin started on has nothing to do', async t => {
  const ready = await freshDatabase('ready')
  await livechatApp(t, ready)
  const { code, output } = await doctor('doctor', '--url', urlOf(ready), '--fix')
  t.equal(code, 0)
  t.match(output, /\nNothing to do\.$/)
  t.notMatch(output, 'Fixing', '--fix has nothing to fix')
})

t.test('an index under the plugin\'s unique name that is not unique stops --fix from making the indexes, not from the rest', async t => {
  const plain = await freshDatabase('not-unique')
  await plain.collection(DEFAULT_COLLECTIONS.visitors).createIndex({ username: -1 }, { name: 'livechat_unique_username' })
  await plain.collection(DEFAULT_COLLECTIONS.messages).insertOne(navigationEntry('legacy-0', 'legacy-token', { expireAt: new Date() }) as never)
  const report = await doctor('doctor', '--url', urlOf(plain))
  t.match(report.output, `  NEEDS livechat_unique_username on ${DEFAULT_COLLECTIONS.visitors}: not unique\n        --fix: not done by --fix: drop this index, then run --fix again`)
  const fixed = await doctor('doctor', '--url', urlOf(plain), '--fix')
  t.equal(fixed.code, 1, 'still something to do')
  t.match(fixed.output, `  done  indexes: left as they are, since livechat_unique_username on ${DEFAULT_COLLECTIONS.visitors} is not unique\n  done  history: 1 Date expiries stored in milliseconds`)
  t.notOk((await plain.collection(DEFAULT_COLLECTIONS.visitors).indexes()).some(index => index.name === 'livechat_unique_token'), 'no index made')
  await plain.collection(DEFAULT_COLLECTIONS.visitors).dropIndex('livechat_unique_username')
  const again = await doctor('doctor', '--url', urlOf(plain), '--fix')
  t.equal(again.code, 0, again.output)
  t.match(again.output, '  done  indexes: ensured, and each unique one proven to refuse a second visitor\n')
})

t.test('without --url the doctor takes MONGO_URL', async t => {
  const { code, output } = await doctorWith({ MONGO_URL: urlOf(db) }, 'doctor')
  t.equal(code, 1)
  t.match(output, `Database ${db.databaseName}, Rocket.Chat's collection names, read only.`)
})

t.test('a wrong command line or an unreachable database is exit code 2, with the usage or the reason', async t => {
  const usage = 'usage: pimentachat-livechat doctor [--url <mongodb url naming the database>] [--fix]; without --url, MONGO_URL'
  for (const [args, reason] of [
    [[], 'the only command is doctor'],
    [['check', '--url', urlOf(db)], 'the only command is doctor'],
    [['doctor'], '--url (or MONGO_URL) must be a MongoDB URL that names the database'],
    [['doctor', '--url', databaseUrl(url, '')], '--url (or MONGO_URL) must be a MongoDB URL that names the database'],
    [['doctor', '--url', 'http://example.com/db'], '--url (or MONGO_URL) must be a MongoDB URL that names the database'],
    [['doctor', '--url', urlOf(db), '--nope'], "Unknown option '--nope'"]
  ] as const) {
    const { code, output } = await doctor(...args)
    t.same([code, output.startsWith(reason), output.endsWith(usage)], [2, true, true], args.join(' '))
  }
  const unreachable = await doctor('doctor', '--url', 'mongodb://127.0.0.1:1/livechat?serverSelectionTimeoutMS=200')
  t.equal(unreachable.code, 2)
  t.match(unreachable.output, /^doctor failed: connect ECONNREFUSED 127\.0\.0\.1:1/)
  const startedAt = Date.now()
  const byDefault = await doctor('doctor', '--url', 'mongodb://127.0.0.1:1/livechat')
  t.same([byDefault.code, byDefault.output.startsWith('doctor failed: ')], [2, true])
  t.ok(Date.now() - startedAt >= 5000, 'gives up after its 5 s default')
  const malformed = await doctor('doctor', '--url', 'mongodb://127.0.0.1:1/livechat?tls=maybe')
  t.same([malformed.code, malformed.output], [2, `--url: tls/ssl must be either "true" or "false"\n${usage}`])
})
