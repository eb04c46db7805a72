import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { InternalError } from '../errors.js'
import { sendError, toRouterError } from '../http/error-handler.js'
import { loggableError } from '../store/loggable-error.js'

/**
 * For the host's `frameworkErrors` server option. Fastify's router refuses a path it cannot
 * decode (`%80`) or a parameter over `maxParamLength` before any route, so before the plugin's
 * error handler, and in its own format. This answers them in the livechat envelope with a 400
 * instead. It applies to every route of the host.
 */
export function livechatFrameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const answer = toRouterError(error, request.url)
  if (answer !== null) return sendError(reply, answer)
  request.log.error({ error: loggableError(error) }, 'livechat: the router failed')
  return sendError(reply, new InternalError())
}
