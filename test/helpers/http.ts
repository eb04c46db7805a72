import type { FastifyInstance } from 'fastify'

/** POST a JSON body to a livechat route under /api/v1. */
export function post (app: FastifyInstance, route: string, body: unknown) {
  return app.inject({ method: 'POST', url: `/api/v1/livechat/${route}`, payload: body as object })
}

export function getVisitor (app: FastifyInstance, token: string) {
  return app.inject({ method: 'GET', url: `/api/v1/livechat/visitor/${token}` })
}

export function eraseVisitor (app: FastifyInstance, token: string) {
  return app.inject({ method: 'DELETE', url: `/api/v1/livechat/visitor/${token}` })
}

/** GET an agent route under /api/v1/livechat, as the agent whose bearer token is given. */
export function agentGet (app: FastifyInstance, path: string, bearer?: string) {
  return app.inject({
    method: 'GET',
    url: `/api/v1/livechat/${path}`,
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }
  })
}
