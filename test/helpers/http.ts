import type { FastifyInstance, InjectOptions } from 'fastify'

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

/** The request's answer, and how long it took in milliseconds. */
export async function timedInject (app: FastifyInstance, request: InjectOptions) {
  const start = performance.now()
  const res = await app.inject(request)
  return { res, ms: performance.now() - start }
}

/** The body of a 503 for a database that cannot be reached. */
export const DATABASE_UNAVAILABLE_ANSWER = Object.freeze({
  success: false,
  error: 'The database is unavailable, try again',
  errorType: 'database-unavailable'
})
