import type { FastifyInstance } from 'fastify'

/** POST a JSON body to a livechat route under /api/v1. */
export function post (app: FastifyInstance, route: string, body: unknown) {
  return app.inject({ method: 'POST', url: `/api/v1/livechat/${route}`, payload: body as object })
}

export function getVisitor (app: FastifyInstance, token: string) {
  return app.inject({ method: 'GET', url: `/api/v1/livechat/visitor/${token}` })
}
