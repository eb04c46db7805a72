import type { FastifyRequest } from 'fastify'

export const TOKEN_IN_PATH = /(\/livechat\/visitor\/)[^/?#]+/

/**
 * Fastify's request log fields, with the visitor token that a path may carry
 * replaced: a token is the visitor's credential and must not end up in logs.
 */
export function serializeRequest (request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(TOKEN_IN_PATH, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
