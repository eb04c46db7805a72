/**
 * Which driver errors mean "the database cannot be reached now" rather than "this request is
 * wrong": the one place that decides it, for the routes' 503 and for retries.
 */

/** What every error thrown by the driver (or a socket under it) may carry. */
export interface DriverError {
  name: string
  message: string
  code?: unknown
  hasErrorLabel?: (label: string) => boolean
}

// The driver's errors for a server it cannot reach, select or keep a connection to.
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError'
])

// Server errors of a replica set changing its primary or shutting down: HostUnreachable, HostNotFound,
// NetworkTimeout, ShutdownInProgress, PrimarySteppedDown, NotWritablePrimary, InterruptedAtShutdown,
// InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, SocketException.
const UNAVAILABLE_SERVER_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436, 9001])

// FerretDB answers the operations it interrupts when it stops with InternalError (1): "context canceled",
// or, for a write, "sql: transaction has already been committed or rolled back" (nothing was written).
const FERRETDB_INTERRUPTED = /\bcontext canceled\b|\bsql: (?:transaction has already been committed or rolled back|database is closed)\b/

// Socket errors that the driver (7.9) passes on as they are: a write to a connection the database has just
// ended fails with EPIPE ("This socket has been ended by the other party"), not with a MongoNetworkError.
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED'])

export function isDatabaseUnavailable (error: DriverError): boolean {
  return UNAVAILABLE_ERROR_NAMES.has(error.name) ||
    UNAVAILABLE_SERVER_CODES.has(error.code as number) ||
    SOCKET_ERROR_CODES.has(error.code as string) ||
    error.hasErrorLabel?.('RetryableWriteError') === true ||
    (error.code === 1 && FERRETDB_INTERRUPTED.test(error.message))
}

// FerretDB 1.24 refuses an update (not an insert) that breaks a unique index with InternalError (1),
// passing on SQLite's message; MongoDB answers DuplicateKey (11000) for both.
const FERRETDB_UNIQUE_UPDATE = /\bUNIQUE constraint failed\b/

/** A write refused by a unique index. */
export function isDuplicateKeyError (error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown, message?: unknown }
  return code === 11000 || (code === 1 && typeof message === 'string' && FERRETDB_UNIQUE_UPDATE.test(message))
}
