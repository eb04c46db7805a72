import type { FastifyRequest } from 'fastify'
import { callStatusSchema, eraseVisitorSchema, getVisitorSchema, registerVisitorSchema, visitorStatusSchema } from '../../../schemas/visitor.js'
import { exportVisitorSchema } from '../../../schemas/export.js'
import { InvalidTokenError } from '../../errors.js'
import type { ConnectionInfo } from '../../store/visitors.js'
import { documented, VISITOR_GET, VISITOR_WITH_BODY } from '../responses.js'
import type { RouteContext } from '../route-context.js'

function connectionOf (request: FastifyRequest): ConnectionInfo {
  return { userAgent: request.headers['user-agent'], ip: request.ip, host: request.headers.host }
}

export function visitorRoutes ({ instance, useCases, limits }: RouteContext): void {
  instance.post('/livechat/visitor', { schema: documented(registerVisitorSchema, VISITOR_WITH_BODY), ...limits.registration }, async (request) => {
    const { visitor } = await useCases.registerVisitor(request.body.visitor, connectionOf(request))
    return { visitor, success: true as const }
  })

  // A malformed token gets the same answer as an unknown one, and never reaches the database.
  instance.get('/livechat/visitor/:token', { schema: documented(getVisitorSchema, VISITOR_GET), attachValidation: true, ...limits.tokenRoutes, exposeHeadRoute: false }, async (request) => {
    if (request.validationError !== undefined) throw new InvalidTokenError()
    const visitor = await useCases.findVisitorByToken(request.params.token)
    if (visitor === null) throw new InvalidTokenError()
    return { visitor, success: true as const }
  })

  instance.get('/livechat/visitor/:token/export', { schema: documented(exportVisitorSchema, VISITOR_GET), attachValidation: true, ...limits.tokenRoutes, exposeHeadRoute: false }, async (request) => {
    if (request.validationError !== undefined) throw new InvalidTokenError()
    return { ...await useCases.exportVisitor(request.params.token), success: true as const }
  })

  instance.delete('/livechat/visitor/:token', { schema: documented(eraseVisitorSchema, VISITOR_WITH_BODY), attachValidation: true, ...limits.tokenRoutes }, async (request) => {
    if (request.validationError !== undefined) throw new InvalidTokenError()
    const visitor = await useCases.eraseVisitor(request.params.token)
    return { visitor, success: true as const }
  })

  instance.post('/livechat/visitor.status', { schema: documented(visitorStatusSchema, VISITOR_WITH_BODY), ...limits.tokenRoutes }, async (request) => {
    const { token, status } = request.body
    await useCases.setVisitorStatus(token, status)
    return { token, status, success: true as const }
  })

  instance.post('/livechat/visitor.callStatus', { schema: documented(callStatusSchema, VISITOR_WITH_BODY), ...limits.tokenRoutes }, async (request) => {
    await useCases.setCallStatus(request.body)
    return { token: request.body.token, callStatus: request.body.callStatus, success: true as const }
  })
}
