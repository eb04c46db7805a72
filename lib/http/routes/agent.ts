import {
  pagesVisitedSchema, searchVisitorsSchema, visitorInfoSchema, visitorRoomsSchema, type PageSort, type VisitorSort
} from '../../../schemas/agent.js'
import { VisitorNotFoundError } from '../../errors.js'
import { pageOf } from '../../service/paging.js'
import { requirePermission } from '../agent-gate.js'
import { pagedAnswer } from '../paged-answer.js'
import { AGENT_GET, documented } from '../responses.js'
import type { RouteContext } from '../route-context.js'
import { sortOf } from '../sort-parameter.js'

/**
 * The routes for agents, each behind the host's authorisation hook with the permission it needs.
 * The hook runs before validation (a caller without access learns nothing of its input) and after
 * the rate limiter's onRequest hook, so that failed attempts count against the limit too.
 */
export function agentRoutes ({ instance, useCases, authorizeAgent, limits }: RouteContext): void {
  // Rocket.Chat's permissions: listing a token's rooms is for managers, the rest for any livechat agent.
  const viewRoom = requirePermission(authorizeAgent, 'view-l-room')
  const viewManager = requirePermission(authorizeAgent, 'view-livechat-manager')

  instance.get('/livechat/visitor/:token/room', { schema: documented(visitorRoomsSchema, AGENT_GET), preValidation: viewManager, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const rooms = await useCases.findOpenRooms(request.params.token)
    return { rooms, success: true as const }
  })

  instance.get('/livechat/visitors.info', { schema: documented(visitorInfoSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const visitor = await useCases.findVisitorById(request.query.visitorId)
    if (visitor === null) throw new VisitorNotFoundError()
    return { visitor, success: true as const }
  })

  instance.get('/livechat/visitors.pagesVisited/:roomId', { schema: documented(pagesVisitedSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const { sort, count, offset } = request.query
    const page = pageOf(count, offset)
    return pagedAnswer('pages', await useCases.findPagesVisited(request.params.roomId, sortOf<PageSort>(sort), page), page.offset)
  })

  instance.get('/livechat/visitors.search', { schema: documented(searchVisitorsSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const { term, sort, count, offset } = request.query
    const page = pageOf(count, offset)
    return pagedAnswer('visitors', await useCases.searchVisitors(term, sortOf<VisitorSort>(sort), page), page.offset)
  })
}
