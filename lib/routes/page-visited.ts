import { pageVisitedSchema } from '../../schemas/page-visited.js'
import type { LivechatScope } from './scope.js'

export function pageVisitedRoutes ({ instance, operations, limits }: LivechatScope): void {
  instance.post('/livechat/page.visited', { schema: pageVisitedSchema, config: limits.other }, async (request) => {
    const page = await operations.recordPageVisit(request.body)
    return page === null ? { success: true as const } : { page, success: true as const }
  })
}
