import t from 'tap'
import { isDatabaseUnavailable, isDuplicateKeyError, type DriverError } from '../lib/store/database-errors.js'

// Which driver errors mean "the database cannot be reached now" (a 503 to retry) rather than a fault:
// a table, without a database. The routes' answers to them: test/errors.test.ts.

const error = (name: string, message: string, fields: Partial<DriverError> = {}): DriverError => ({ name, message, ...fields })
const labelled = (label: string) => (given: string) => given === label

const UNAVAILABLE: Array<[string, DriverError]> = [
  ['no server to select', error('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017')],
  ['a network error', error('MongoNetworkError', 'connection 3 to 127.0.0.1:27017 closed')],
  ['a network timeout', error('MongoNetworkTimeoutError', 'connection timed out')],
  ['a client not connected', error('MongoNotConnectedError', 'Client must be connected')],
  ['a closed topology', error('MongoTopologyClosedError', 'Topology is closed')],
  ['a cleared pool', error('MongoPoolClearedError', 'Connection pool was cleared')],
  ...[6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436, 9001].map(code =>
    [`server code ${code} (failover, shutdown, unreachable host)`, error('MongoServerError', 'failover', { code })] as [string, DriverError]),
  ...['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED'].map(code =>
    [`the socket error ${code}, passed on as it is`, error('Error', code, { code })] as [string, DriverError]),
  ['a write labelled RetryableWriteError', error('MongoServerError', 'interrupted', { code: 1, hasErrorLabel: labelled('RetryableWriteError') })],
  ['FerretDB interrupted while stopping', error('MongoServerError', '[msg_find.go:120 handler.(*Handler).MsgFind] context canceled', { code: 1 })],
  ['FerretDB\'s rolled-back write while stopping', error('MongoServerError', 'sql: transaction has already been committed or rolled back', { code: 1 })],
  ['FerretDB\'s closed database', error('MongoServerError', 'sql: database is closed', { code: 1 })]
]

const FAULTS: Array<[string, DriverError]> = [
  ['a plain error', error('Error', 'secret internals')],
  ['another internal error of the server', error('MongoServerError', 'something else broke', { code: 1 })],
  ['a duplicate key', error('MongoServerError', 'E11000 duplicate key error', { code: 11000 })],
  ['a write with another label', error('MongoServerError', 'no', { code: 2, hasErrorLabel: labelled('TransientTransactionError') })],
  ['a code given as a string that is no socket error', error('Error', 'nope', { code: '6' })]
]

t.test('the errors that mean the database is unavailable', async t => {
  for (const [name, driverError] of UNAVAILABLE) t.equal(isDatabaseUnavailable(driverError), true, name)
})

t.test('the errors that are faults, not unavailability', async t => {
  for (const [name, driverError] of FAULTS) t.equal(isDatabaseUnavailable(driverError), false, name)
})

t.test('a duplicate key is the unique index\'s refusal: code 11000 and nothing else', async t => {
  t.equal(isDuplicateKeyError({ code: 11000 }), true)
  for (const other of [{ code: 11001 }, { code: '11000' }, null, undefined, new Error('E11000')]) t.equal(isDuplicateKeyError(other), false, String(other))
})
