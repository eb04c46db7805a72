import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { DecoratorTakenError } from './errors.js'
import { serializeRequest } from './log-redaction.js'
import { resolveOptions, type LivechatOptions, type ResolvedOptions } from './options.js'
import { livechatRoutes } from './routes/scope.js'
import { startService, type LivechatService, type ServiceHandle } from './service.js'

export type {
  LivechatOptions, LivechatCollectionNames, HistoryMonitorType, SystemUser, AgentAccess, AgentPermission, AuthorizeAgent,
  RateLimit, RateLimits
} from './options.js'
export type { LivechatService } from './service.js'
export type { LivechatEvents, LivechatEventName, LivechatListener } from './events.js'
export type { ErasedVisitor } from './erasure.js'
export type { Page, PageOf } from './paging.js'
export type { ConnectionInfo, RegisteredVisitor } from './visitors.js'
export type { PublicVisitor, VisitorInput, CustomFieldInput, VisitorStatus } from '../schemas/visitor.js'
export type { AgentVisitor, NavigationEntry } from '../schemas/agent.js'
export type { PageVisitedBody, PageInfo, RecordedPage } from '../schemas/page-visited.js'
export { DEFAULT_COLLECTIONS } from './options.js'
export * as errors from './errors.js'
export { livechatFrameworkErrors } from './framework-errors.js'
export { serializeRequest as livechatRequestSerializer } from './log-redaction.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The livechat service (under the name given by the `decorator` option). */
    livechat: LivechatService
  }
}

const kRegistration = Symbol('livechat registration')

interface Registration {
  db: ResolvedOptions['db']
  settings: string
  handle: ServiceHandle
}

/** Everything but the database handle, as a string two registrations can compare. */
function settingsOf ({ db, ...settings }: ResolvedOptions): string {
  return JSON.stringify(settings)
}

/**
 * The service of an earlier registration under the same decorator name is shared
 * when it has the same database and options (the same API mounted under two
 * prefixes); anything else under that name is a conflict.
 */
async function provideService (fastify: FastifyInstance, options: ResolvedOptions): Promise<ServiceHandle> {
  const name = options.decorator
  if (fastify.hasDecorator(name)) {
    const existing = (fastify as unknown as Record<string, LivechatService & { [kRegistration]?: Registration }>)[name]
    const registration = existing?.[kRegistration]
    if (registration?.db !== options.db || registration.settings !== settingsOf(options)) throw new DecoratorTakenError(name)
    return registration.handle
  }
  const handle = await startService(options, fastify.log)
  const registration: Registration = { db: options.db, settings: settingsOf(options), handle }
  Object.defineProperty(handle.service, kRegistration, { value: registration })
  fastify.decorate(name, handle.service)
  fastify.addHook('onClose', async () => handle.close())
  return handle
}

const livechatPlugin: FastifyPluginAsync<LivechatOptions> = async (fastify, givenOptions) => {
  const options = resolveOptions(givenOptions)
  const { operations } = await provideService(fastify, options)
  // Fastify types serializers as returning strings; pino logs whatever they return, as it does for its default one.
  const logSerializers = { req: serializeRequest as unknown as (request: unknown) => string }
  await fastify.register(livechatRoutes, { prefix: givenOptions.prefix, operations, options, logSerializers })
}

/**
 * The livechat visitor API: `app.register(livechat, { prefix: '/api/v1', db })`.
 * The service decorator reaches the host; the routes and their error envelope
 * stay in their own encapsulated scope under the prefix.
 */
export const livechat = fp(livechatPlugin, { fastify: '5.x', name: '@pimentachat/livechat' })
export default livechat
