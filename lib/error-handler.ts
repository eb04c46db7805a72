import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  BadRequestError, BodyTooLargeError, DatabaseUnavailableError, errorTypeOf, InternalError,
  InvalidJsonError, isLivechatError, ServiceUnavailableError, TooManyRequestsError, UnsupportedMediaTypeError, type LivechatError
} from './errors.js'

export const RETRY_AFTER_SECONDS = 5

// Driver errors that mean "the database cannot be reached now", not "this request is wrong".
const DATABASE_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError'
])

/** The one place that decides the status code and envelope of every failed request. */
export function toLivechatError (error: FastifyError, bodyLimit: number, reply: FastifyReply): LivechatError {
  if (isLivechatError(error)) return error
  // @fastify/rate-limit has set Retry-After (seconds) before it threw.
  if (error.statusCode === 429) return new TooManyRequestsError(String(reply.getHeader('retry-after')))
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new BodyTooLargeError(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new UnsupportedMediaTypeError()
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new InvalidJsonError()
  }
  if (DATABASE_UNAVAILABLE.has(error.name)) return new DatabaseUnavailableError()
  // The host's own refusals under load (@fastify/under-pressure) keep their 503 and their Retry-After.
  if (error.statusCode === 503) return new ServiceUnavailableError()
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new BadRequestError(error.message)
  }
  return new InternalError()
}

export function createErrorHandler (bodyLimit: number) {
  return function livechatErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const answer = toLivechatError(error, bodyLimit, reply)
    if (answer.statusCode >= 500) {
      request.log.error({ err: error }, 'livechat request failed')
    }
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
