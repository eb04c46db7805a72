import type { FastifyRequest } from 'fastify'
import { eraseVisitorSchema, getVisitorSchema, registerVisitorSchema, visitorStatusSchema } from '../../schemas/visitor.js'
import { InvalidTokenError } from '../errors.js'
import type { ConnectionInfo } from '../visitors.js'
import type { LivechatScope } from './scope.js'

function connectionOf (request: FastifyRequest): ConnectionInfo {
  return { userAgent: request.headers['user-agent'], ip: request.ip, host: request.headers.host }
}

export function visitorRoutes ({ instance, operations, limits }: LivechatScope): void {
  instance.post('/livechat/visitor', { schema: registerVisitorSchema, config: limits.registration }, async (request) => {
    const { visitor } = await operations.registerVisitor(request.body.visitor, connectionOf(request))
    return { visitor, success: true as const }
  })

  // A malformed token gets the same answer as an unknown one, and never reaches the database.
  instance.get('/livechat/visitor/:token', { schema: getVisitorSchema, attachValidation: true, config: limits.other, exposeHeadRoute: false }, async (request) => {
    if (request.validationError !== undefined) throw new InvalidTokenError()
    const visitor = await operations.findVisitorByToken(request.params.token)
    if (visitor === null) throw new InvalidTokenError()
    return { visitor, success: true as const }
  })

  instance.delete('/livechat/visitor/:token', { schema: eraseVisitorSchema, attachValidation: true, config: limits.other }, async (request) => {
    if (request.validationError !== undefined) throw new InvalidTokenError()
    const visitor = await operations.eraseVisitor(request.params.token)
    return { visitor, success: true as const }
  })

  instance.post('/livechat/visitor.status', { schema: visitorStatusSchema, config: limits.other }, async (request) => {
    const { token, status } = request.body
    await operations.setVisitorStatus(token, status)
    return { token, status, success: true as const }
  })
}
