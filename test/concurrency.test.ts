import t from 'tap'
import { livechatApp } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'
import { withCollectionMethod, withFirstGuestIncrementAfter } from './helpers/faults.js'
import { post } from './helpers/http.js'
import { DEFAULT_COLLECTIONS } from '../lib/index.js'
import { GUEST_COUNTER_ID } from '../lib/store/guest-counter.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await livechatApp(t, db)
const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)

t.test('many simultaneous first registrations of one token converge on one visitor', async t => {
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    post(app, 'visitor', { visitor: { token: 'storm-1', name: `n${i % 3}` } })))
  t.same(answers.map(a => a.statusCode), answers.map(() => 200), 'no error')
  const ids = new Set(answers.map(a => a.json().visitor._id))
  const usernames = new Set(answers.map(a => a.json().visitor.username))
  t.equal(ids.size, 1, 'one _id')
  t.equal(usernames.size, 1, 'one username')
  t.equal(await visitors.countDocuments({ token: 'storm-1' }), 1, 'one document')
})

t.test('simultaneous first registrations of one token with a given username converge too', async t => {
  const answers = await Promise.all(Array.from({ length: 20 }, () =>
    post(app, 'visitor', { visitor: { token: 'storm-2', username: 'storm.user' } })))
  t.same(new Set(answers.map(a => a.statusCode)), new Set([200]))
  t.equal(new Set(answers.map(a => a.json().visitor._id)).size, 1)
  t.equal(await visitors.countDocuments({ username: 'storm.user' }), 1)
})

t.test('many simultaneous registrations with different tokens get distinct guest names', async t => {
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) =>
    post(app, 'visitor', { visitor: { token: `many-${i}` } })))
  const usernames = answers.map(a => a.json().visitor.username)
  t.equal(new Set(usernames).size, 60, 'all distinct')
  t.ok(usernames.every(u => /^guest-\d+$/.test(u)))
})

t.test('two plugin instances (two processes\' worth) on one database never share a guest name', async t => {
  const second = await livechatApp(t, db, { decorator: 'livechatTwo' })
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    post(i % 2 === 0 ? app : second, 'visitor', { visitor: { token: `pair-${i}` } })))
  t.same(answers.filter(a => a.statusCode !== 200).map(a => a.body), [])
  t.equal(new Set(answers.map(a => a.json().visitor?.username)).size, 40)
})

t.test('guest names already taken are skipped; after ten in a row the answer is a 503 to retry', async t => {
  const { db: fresh } = await testDatabase(t, 'concurrency-taken')
  const freshApp = await livechatApp(t, fresh)
  await fresh.collection(DEFAULT_COLLECTIONS.visitors).insertMany(
    Array.from({ length: 12 }, (_, i) => ({ _id: `taken-${i + 1}` as never, username: `guest-${i + 1}`, token: `taken-${i + 1}` })))
  const busy = await post(freshApp, 'visitor', { visitor: { token: 'late-1' } })
  t.equal(busy.statusCode, 503)
  t.equal(busy.headers['retry-after'], '5')
  t.same(busy.json(), {
    success: false,
    error: 'The visitor could not be registered for contention, try again',
    errorType: 'registration-conflict'
  })
  const next = await post(freshApp, 'visitor', { visitor: { token: 'late-1' } })
  t.equal(next.json().visitor.username, 'guest-13', 'the counter moved past the taken names')
})

t.test('regression: two processes creating the guest counter at once both get a number, not a 500', async t => {
  const { db: fresh } = await testDatabase(t, 'concurrency-counter-race')
  let raced = false
  // The other process's upsert won the race: this one meets the counter's _id once.
  const racing = withCollectionMethod(fresh, 'findOneAndUpdate', original => async (...args: never[]) => {
    const [filter] = args as Array<{ _id?: unknown }>
    if (filter._id === GUEST_COUNTER_ID && !raced) {
      raced = true
      await original(...args)
      throw Object.assign(new Error(`E11000 duplicate key error collection: ${DEFAULT_COLLECTIONS.settings} index: _id_`), { code: 11000 })
    }
    return original(...args)
  })
  const racedApp = await livechatApp(t, racing)
  const res = await post(racedApp, 'visitor', { visitor: { token: 'race-1' } })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().visitor.username, 'guest-2', 'the retry takes the next number')
  t.ok(raced)
})

t.test('regression: when the guest counter fails, the registrations queued behind it fail at once, not one server selection each', async t => {
  const { db: fresh } = await testDatabase(t, 'concurrency-counter-queue')
  const { db: failingOnce, calls } = withFirstGuestIncrementAfter(fresh, 8, async () => {
    throw Object.assign(new Error('Server selection timed out after 1000 ms'), { name: 'MongoServerSelectionError' })
  })
  const queuedApp = await livechatApp(t, failingOnce)
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(queuedApp, 'visitor', { visitor: { token: `queued-${i}` } })))
  t.same(answers.map(res => [res.statusCode, res.json().errorType]), Array(8).fill([503, 'database-unavailable']))
  t.equal(calls.increments, 1, 'the database was asked once for the eight')
  t.equal(await fresh.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: /^queued-/ }), 0)
  const later = await post(queuedApp, 'visitor', { visitor: { token: 'queued-later' } })
  t.same([later.statusCode, later.json().visitor.username], [200, 'guest-1'], 'a registration after the failure asks the database again')
})

t.test('a failure of the guest counter other than that race is not retried: the registration answers it', async t => {
  const { db: fresh } = await testDatabase(t, 'concurrency-counter-down')
  const counterDown = withCollectionMethod(fresh, 'findOneAndUpdate', original => async (...args: never[]) => {
    const [filter] = args as Array<{ _id?: unknown }>
    if (filter._id === GUEST_COUNTER_ID) throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' })
    return original(...args)
  })
  const downApp = await livechatApp(t, counterDown)
  const res = await post(downApp, 'visitor', { visitor: { token: 'counter-down' } })
  t.same([res.statusCode, res.json().errorType], [503, 'database-unavailable'])
  t.equal(await fresh.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: 'counter-down' }), 0)
})
