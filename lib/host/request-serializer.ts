import type { FastifyRequest } from 'fastify'
import { TOKEN_IN_PATH } from '../http/token-path.js'

/**
 * Fastify's request log fields, with the visitor token that a path may carry
 * replaced: a token is the visitor's credential and must not end up in logs.
 * The plugin uses it for its own routes; a host passes it to its logger
 * (`serializers: { req }`) for what reaches no route of the plugin: CORS
 * preflights, 404s, and paths its router refuses.
 */
export function livechatRequestSerializer (request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(TOKEN_IN_PATH, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
