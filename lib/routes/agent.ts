import { pagesVisitedSchema, searchVisitorsSchema, visitorInfoSchema, visitorRoomsSchema } from '../../schemas/agent.js'
import { requirePermission } from '../agent-access.js'
import { VisitorNotFoundError } from '../errors.js'
import { pageOf, type PageOf } from '../paging.js'
import type { LivechatScope } from './scope.js'

/** Rocket.Chat's paged answer: the items under their name, how many there are here, where they start, and the total. */
function pagedAnswer<K extends string, T> (name: K, { items, total }: PageOf<T>, offset: number) {
  const paging = { count: items.length, offset, total, success: true as const }
  return { [name]: items, ...paging } as Record<K, T[]> & typeof paging
}

/**
 * The routes for agents, each behind the host's authorisation hook with the permission it needs.
 * The hook runs before validation (a caller without access learns nothing of its input) and after
 * the rate limiter's onRequest hook, so that failed attempts count against the limit too.
 */
export function agentRoutes ({ instance, operations, options, limits }: LivechatScope): void {
  // Rocket.Chat's permissions: listing a token's rooms is for managers, the rest for any livechat agent.
  const viewRoom = requirePermission(options.authorizeAgent, 'view-l-room')
  const viewManager = requirePermission(options.authorizeAgent, 'view-livechat-manager')

  instance.get('/livechat/visitor/:token/room', { schema: visitorRoomsSchema, preValidation: viewManager, config: limits.other, exposeHeadRoute: false }, async (request) => {
    const rooms = await operations.findOpenRooms(request.params.token)
    return { rooms, success: true as const }
  })

  instance.get('/livechat/visitors.info', { schema: visitorInfoSchema, preValidation: viewRoom, config: limits.other, exposeHeadRoute: false }, async (request) => {
    const visitor = await operations.findVisitorById(request.query.visitorId)
    if (visitor === null) throw new VisitorNotFoundError()
    return { visitor, success: true as const }
  })

  instance.get('/livechat/visitors.pagesVisited/:roomId', { schema: pagesVisitedSchema, preValidation: viewRoom, config: limits.other, exposeHeadRoute: false }, async (request) => {
    const page = pageOf(request.query.count, request.query.offset)
    return pagedAnswer('pages', await operations.findPagesVisited(request.params.roomId, page), page.offset)
  })

  instance.get('/livechat/visitors.search', { schema: searchVisitorsSchema, preValidation: viewRoom, config: limits.other, exposeHeadRoute: false }, async (request) => {
    const page = pageOf(request.query.count, request.query.offset)
    return pagedAnswer('visitors', await operations.searchVisitors(request.query.term, page), page.offset)
  })
}
