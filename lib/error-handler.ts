import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  BadRequestError, BodyTooLargeError, DatabaseTimeoutError, DatabaseUnavailableError, errorTypeOf, InternalError,
  InvalidJsonError, isLivechatError, ServiceUnavailableError, TooManyRequestsError, UnsupportedMediaTypeError, type LivechatError
} from './errors.js'

const RETRY_AFTER_SECONDS = 5

// Driver errors that mean "the database cannot be reached now", not "this request is wrong".
const DATABASE_UNAVAILABLE = new Set([
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
const DATABASE_UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436, 9001])

// FerretDB answers the operations it interrupts when it stops with InternalError (1): "context canceled",
// or, for a write, "sql: transaction has already been committed or rolled back" (nothing was written).
const FERRETDB_INTERRUPTED = /\bcontext canceled\b|\bsql: (?:transaction has already been committed or rolled back|database is closed)\b/

// Socket errors that the driver (7.9) passes on as they are: a write to a connection the database has just
// ended fails with EPIPE ("This socket has been ended by the other party"), not with a MongoNetworkError.
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED'])

interface DriverError { name: string, message: string, code?: unknown, hasErrorLabel?: (label: string) => boolean }

function isDatabaseUnavailable (error: DriverError): boolean {
  return DATABASE_UNAVAILABLE.has(error.name) ||
    DATABASE_UNAVAILABLE_CODES.has(error.code as number) ||
    SOCKET_ERROR_CODES.has(error.code as string) ||
    error.hasErrorLabel?.('RetryableWriteError') === true ||
    (error.code === 1 && FERRETDB_INTERRUPTED.test(error.message))
}

/** The one place that decides the status code and envelope of every failed request. */
export function toLivechatError (error: FastifyError, bodyLimit: number, reply: FastifyReply): LivechatError {
  // The client learns what it can act on; the log line keeps which call timed out.
  if (error instanceof DatabaseTimeoutError) return new DatabaseUnavailableError()
  if (isLivechatError(error)) return error
  // @fastify/rate-limit has set Retry-After (seconds) before it threw.
  if (error.statusCode === 429) return new TooManyRequestsError(String(reply.getHeader('retry-after')))
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new BodyTooLargeError(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new UnsupportedMediaTypeError()
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new InvalidJsonError()
  }
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError()
  // The host's own refusals under load (@fastify/under-pressure) keep their 503 and their Retry-After.
  if (error.statusCode === 503) return new ServiceUnavailableError()
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return clientError(error)
  return new InternalError()
}

/** Another client error (from the HTTP layer or a host's hook): its status stays, in the envelope. */
function clientError (error: FastifyError): LivechatError {
  const answer = new BadRequestError(error.message)
  answer.statusCode = error.statusCode as number
  return answer
}

export function createErrorHandler (bodyLimit: number) {
  return function livechatErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const answer = toLivechatError(error, bodyLimit, reply)
    // An outage or overload answers many requests: one short line each, not a stack trace each.
    if (answer.statusCode === 503) request.log.warn({ errorType: errorTypeOf(answer.code), cause: error.message }, 'livechat request refused')
    else if (answer.statusCode >= 500) request.log.error({ err: error }, 'livechat request failed')
    if (answer.statusCode === 503 && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', RETRY_AFTER_SECONDS)
    }
    return sendError(reply, answer)
  }
}

/** The envelope of every failure: `{success: false, error, errorType}`. */
export function sendError (reply: FastifyReply, answer: LivechatError) {
  return reply.code(answer.statusCode).send({
    success: false,
    error: answer.message,
    errorType: errorTypeOf(answer.code)
  })
}
