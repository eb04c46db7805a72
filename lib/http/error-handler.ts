import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  BadRequestError, BodyTooLargeError, DatabaseTimeoutError, DatabaseUnavailableError, errorTypeOf, InternalError, InvalidJsonError,
  InvalidTokenError, InvalidUrlError, isLivechatError, ServiceUnavailableError, TooManyRequestsError, UnsupportedMediaTypeError,
  type LivechatError
} from '../errors.js'
import { loggableError, withoutKeyValues } from '../store/loggable-error.js'
import { isDatabaseUnavailable } from '../store/database-errors.js'
import { TOKEN_IN_PATH } from './token-path.js'

const RETRY_AFTER_SECONDS = 5

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

/**
 * The answer to a path the router refused before any route (one it cannot decode, a parameter
 * over maxParamLength): `[invalid-token]` where a token was expected, as for any malformed token,
 * else `invalid-url`; null for another failure of the router, which is the host's 500.
 */
export function toRouterError (error: FastifyError, url: string): LivechatError | null {
  if (error.code !== 'FST_ERR_BAD_URL' && error.code !== 'FST_ERR_MAX_PARAM_LENGTH') return null
  return TOKEN_IN_PATH.test(url) ? new InvalidTokenError() : new InvalidUrlError()
}

/** Another client error (from the HTTP layer or a host's hook): its status stays, in the envelope. */
function clientError (error: FastifyError): LivechatError {
  const answer: LivechatError = new BadRequestError(error.message)
  answer.statusCode = error.statusCode as number
  return answer
}

export function createErrorHandler (bodyLimit: number) {
  return function livechatErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const answer = toLivechatError(error, bodyLimit, reply)
    // An outage or overload answers many requests: one short line each, not a stack trace each.
    if (answer.statusCode === 503) request.log.warn({ errorType: errorTypeOf(answer.code), cause: withoutKeyValues(error.message) }, 'livechat request refused')
    else if (answer.statusCode >= 500) request.log.error({ error: loggableError(error) }, 'livechat request failed')
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
