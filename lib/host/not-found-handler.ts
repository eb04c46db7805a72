import type { FastifyReply, FastifyRequest } from 'fastify'
import { redactedUrl } from './request-serializer.js'

/**
 * A not-found handler for the host (`app.setNotFoundHandler(livechatNotFoundHandler)`): Fastify's
 * own logs the URL and answers it back, and a mistyped path, another method, HEAD or a trailing slash
 * on `/livechat/visitor/:token` carries the token. This one logs the redacted URL and answers
 * Fastify's 404 without the URL.
 */
export function livechatNotFoundHandler (request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ method: request.method, url: redactedUrl(request.url) }, 'route not found')
  return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'No route has this method and path' })
}
