import t from 'tap'
import type { Db } from 'mongodb'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { NAVIGATION_HISTORY_TYPE } from '../schemas/shared.js'
import { livechatApp } from './helpers/app.js'
import { databaseContents, emptyDatabaseBeside, isFerretDB, testDatabase } from './helpers/database.js'
import { rocketChatCreatesItsIndexes } from './helpers/rocket-chat.js'
import { startScript } from './helpers/scripts.js'

// npx pimentachat-livechat doctor --url <url> [--fix], run as the package's bin runs it.
const { db, url, client } = await testDatabase(t, import.meta.filename)
const freshDatabase = (suffix: string) => emptyDatabaseBeside(db, client, suffix)
const onFerretDB = await isFerretDB(db)
const urlOf = (database: Db) => url.replace(/\/$/, `/${database.databaseName}`)

async function doctor (...args: string[]): Promise<{ code: unknown, output: string }> {
  const run = startScript('lib/doctor/cli.ts', {}, args)
  const [code] = await run.exit
  return { code, output: run.lines.join('\n') }
}

/** Visitors as Rocket.Chat's registerGuest inserts them (LivechatVisitors.insertOne), two of them sharing a token as its check-then-insert lets them. */
async function fillAsRocketChat (database: Db): Promise<void> {
  await rocketChatCreatesItsIndexes(database, onFerretDB)
  const ts = new Date('2026-11-01T10:00:00Z')
  await database.collection(DEFAULT_COLLECTIONS.visitors).insertMany([
    { _id: 'rc-1', token: 'raced-token-secret', username: 'guest-1', ts, _updatedAt: ts },
    { _id: 'rc-2', token: 'raced-token-secret', username: 'guest-2', ts, _updatedAt: ts },
    { _id: 'rc-3', token: 'other-token', username: 'guest-3', ts, _updatedAt: ts }
  ] as never[])
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
  // Rocket.Chat opening the room: Messages.setRoomIdByToken (packages/models/src/models/Messages.ts),
  // updateMany({'navigation.token': token, rid: null}, {$set: {rid}}), which keeps expireAt.
  await messages.updateMany({ 'navigation.token': 'roomed-token', rid: null }, { $set: { rid: 'rc-room' } })
  return expiry
}

t.test('a database filled as Rocket.Chat fills it: the doctor reports what the plugin needs, changing nothing', async t => {
  const filled = await freshDatabase('report')
  await fillAsRocketChat(filled)
  await fillHistory(filled, 3)
  const before = await databaseContents(filled)
  const { code, output } = await doctor('doctor', '--url', urlOf(filled))
  t.equal(code, 1, 'something to do')
  t.equal(await databaseContents(filled), before, 'nothing changed')
  t.match(output, `Database ${filled.databaseName}, Rocket.Chat's collection names, read only.`)
  t.match(output, "  NEEDS token: 1 value(s) are each held by more than one visitor (2 visitors in all): its unique index cannot be created; the visitors' _ids, a group per value: rc-1, rc-2\n" +
    '        --fix: not done by --fix: which visitor is the real one is yours to decide; merge or remove the others')
  t.notMatch(output, 'raced-token-secret', 'a token is a credential: never printed')
  t.match(output, '  ok    username: no two visitors share one')
  t.match(output, `  NEEDS livechat_unique_token on ${DEFAULT_COLLECTIONS.visitors}: missing\n        --fix: created`)
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
  t.match(report.output, `  NEEDS token_1 on ${DEFAULT_COLLECTIONS.visitors}: unique, made by the plugin's earlier versions: Rocket.Chat's index creation fails while it is\n` +
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

t.test('an index under the plugin\'s unique name that is not unique is reported, and --fix says why it stops', async t => {
  const plain = await freshDatabase('not-unique')
  await plain.collection(DEFAULT_COLLECTIONS.visitors).createIndex({ username: -1 }, { name: 'livechat_unique_username' })
  const report = await doctor('doctor', '--url', urlOf(plain))
  t.match(report.output, `  NEEDS livechat_unique_username on ${DEFAULT_COLLECTIONS.visitors}: not unique\n        --fix: not done by --fix: drop this index, then run --fix`)
  const fixed = await doctor('doctor', '--url', urlOf(plain), '--fix')
  t.equal(fixed.code, 2)
  t.match(fixed.output, /doctor failed: (?:The index livechat_unique_username .* lets two visitors share a username|Cannot create the index livechat_unique_username)/)
})

t.test('a wrong command line or an unreachable database is exit code 2, with the usage or the reason', async t => {
  const usage = 'usage: pimentachat-livechat doctor --url <mongodb url naming the database> [--fix]'
  for (const [args, reason] of [
    [[], 'the only command is doctor'],
    [['check', '--url', urlOf(db)], 'the only command is doctor'],
    [['doctor'], '--url must be a MongoDB URL that names the database'],
    [['doctor', '--url', url.replace(/\/$/, '/')], '--url must be a MongoDB URL that names the database'],
    [['doctor', '--url', 'http://example.com/db'], '--url must be a MongoDB URL that names the database'],
    [['doctor', '--url', urlOf(db), '--nope'], "Unknown option '--nope'"]
  ] as const) {
    const { code, output } = await doctor(...args)
    t.same([code, output.startsWith(reason), output.endsWith(usage)], [2, true, true], args.join(' '))
  }
  const unreachable = await doctor('doctor', '--url', 'mongodb://127.0.0.1:1/livechat?serverSelectionTimeoutMS=200')
  t.equal(unreachable.code, 2)
  t.match(unreachable.output, /^doctor failed: connect ECONNREFUSED 127\.0\.0\.1:1/)
  const malformed = await doctor('doctor', '--url', 'mongodb://127.0.0.1:1/livechat?tls=maybe')
  t.same([malformed.code, malformed.output.startsWith('doctor failed: ')], [2, true])
})
