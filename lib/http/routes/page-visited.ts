import { pageVisitedSchema } from '../../../schemas/page-visited.js'
import { documented, VISITOR_WITH_BODY } from '../responses.js'
import type { RouteContext } from '../route-context.js'

export function pageVisitedRoutes ({ instance, useCases, limits }: RouteContext): void {
  instance.post('/livechat/page.visited', { schema: documented(pageVisitedSchema, VISITOR_WITH_BODY), ...limits.other }, async (request) => {
    const page = await useCases.recordPageVisit(request.body)
    return page === null ? { success: true as const } : { page, success: true as const }
  })
}
