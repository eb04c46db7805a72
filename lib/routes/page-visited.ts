import { pageVisitedSchema } from '../../schemas/page-visited.js'
import type { LivechatScope } from './scope.js'

export function pageVisitedRoutes ({ instance, service }: LivechatScope): void {
  instance.post('/livechat/page.visited', { schema: pageVisitedSchema }, async (request) => {
    const page = await service.recordPageVisit(request.body)
    return page === null ? { success: true as const } : { page, success: true as const }
  })
}
