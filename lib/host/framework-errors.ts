import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { InternalError, InvalidTokenError, InvalidUrlError } from '../errors.js'
import { sendError } from '../http/error-handler.js'
import { TOKEN_IN_PATH } from './request-serializer.js'

/**
 * For the host's `frameworkErrors` server option. Fastify's router refuses a
 * path it cannot decode (`%80`) or a parameter over `maxParamLength` before any
 * route, so before the plugin's error handler, and in its own format. This
 * answers them in the livechat envelope with a 400 instead: `[invalid-token]`
 * where a visitor token was expected, as for any other malformed token, else
 * `invalid-url`. It applies to every route of the host.
 */
export function livechatFrameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code !== 'FST_ERR_BAD_URL' && error.code !== 'FST_ERR_MAX_PARAM_LENGTH') {
    request.log.error({ err: error }, 'livechat: the router failed')
    return sendError(reply, new InternalError())
  }
  return sendError(reply, TOKEN_IN_PATH.test(request.url) ? new InvalidTokenError() : new InvalidUrlError())
}
