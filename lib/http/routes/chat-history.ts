import { autocompleteVisitorsSchema, chatHistorySchema, searchChatsSchema, type HistorySort } from '../../../schemas/agent.js'
import { InvalidParamsError } from '../../errors.js'
import { check } from '../../service/argument-checks.js'
import { pageOf } from '../../service/paging.js'
import { requirePermission } from '../agent-gate.js'
import { pagedAnswer } from '../paged-answer.js'
import { AGENT_GET, documented } from '../responses.js'
import type { RouteContext } from '../route-context.js'
import { sortOf } from '../sort-parameter.js'

/** The autocomplete's `selector`: JSON, checked like any other input once parsed. */
function parsedSelector (selector: string) {
  let parsed: unknown
  try {
    parsed = JSON.parse(selector)
  } catch {
    throw new InvalidParamsError('selector must be JSON: {"term": "<text>", "exceptions"?: ["<visitor id>"], "conditions"?: {}}')
  }
  return check.autocompleteQuery({ selector: parsed }, 'querystring').selector
}

/** An agent's look at a visitor beside a chat: the visitor by name, its past chats (Rocket.Chat's permission: view-l-room). */
export function chatHistoryRoutes ({ instance, useCases, authorizeAgent, limits }: RouteContext): void {
  const viewRoom = requirePermission(authorizeAgent, 'view-l-room')

  instance.get('/livechat/visitors.autocomplete', { schema: documented(autocompleteVisitorsSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const items = await useCases.autocompleteVisitors(parsedSelector(request.query.selector))
    return { items, success: true as const }
  })

  instance.get('/livechat/visitors.chatHistory/room/:roomId/visitor/:visitorId', { schema: documented(chatHistorySchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const { roomId, visitorId } = request.params
    const { sort, count, offset } = request.query
    const page = pageOf(count, offset)
    return pagedAnswer('history', await useCases.findChatHistory(roomId, visitorId, sortOf<HistorySort>(sort), page), page.offset)
  })

  instance.get('/livechat/visitors.searchChats/room/:roomId/visitor/:visitorId', { schema: documented(searchChatsSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const { roomId, visitorId } = request.params
    const { sort, count, offset, ...search } = request.query
    const page = pageOf(count, offset)
    return pagedAnswer('history', await useCases.searchChats(roomId, visitorId, search, sortOf<HistorySort>(sort), page), page.offset)
  })
}
