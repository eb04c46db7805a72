import fp from 'fastify-plugin'
import { livechatPlugin } from './plugin.js'
import type { LivechatService } from './service/service.js'

export type {
  LivechatOptions, HistoryMonitorType, SystemUser, AgentAccess, AgentPermission, AuthorizeAgent, RateLimit, RateLimits
} from './options.js'
export type { LivechatCollectionNames } from './store/collections.js'
export type {
  LivechatService, VisitorArgument as VisitorInput, CustomFieldArgument as CustomFieldInput,
  PageVisitArgument as PageVisitedBody, PageInfoArgument as PageInfo, StoredPage as RecordedPage,
  CallStatusArgument as CallStatusBody, CustomFieldDefinitionArgument as CustomFieldDefinitionInput,
  AutocompleteArgument as AutocompleteSelector, ChatSearchArgument as ChatSearch, ListArgument
} from './service/service.js'
export type { ErasedVisitor, LivechatEvents, LivechatEventName, LivechatListener, PendingErasure } from './service/events.js'
export type { RegisteredVisitor } from './service/registration.js'
export type { Page, PageOf } from './store/paging.js'
export type { ConnectionInfo } from './store/visitors.js'
export type { PublicVisitor, VisitorStatus } from '../schemas/visitor.js'
export type { AgentVisitor, AutocompleteItem, HistoryRoom, HistorySort, NavigationEntry, RoomSummary, SearchedVisitor } from '../schemas/agent.js'
export type { CustomFieldDefinition, DefinitionSort } from '../schemas/custom-field-definitions.js'
export type { VisitorExport, ExportedVisitor, ExportedPage, ExportedRoom } from '../schemas/export.js'
export { DEFAULT_COLLECTIONS } from './store/collections.js'
export * as errors from './errors.js'
export { livechatFrameworkErrors } from './host/framework-errors.js'
export { livechatRequestSerializer } from './host/request-serializer.js'
export { livechatNotFoundHandler } from './host/not-found-handler.js'
export { RECOMMENDED_CLIENT_OPTIONS } from './host/client-options.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The livechat service, under the default name of the `decorator` option. */
    livechat: LivechatService
  }
}

/**
 * The livechat visitor API: `app.register(livechat, { prefix: '/api/v1', db })`.
 * The service decorator reaches the host; the routes and their error envelope
 * stay in their own encapsulated scope under the prefix.
 */
export const livechat = fp(livechatPlugin, { fastify: '5.x', name: '@pimentachat/livechat' })
export default livechat
