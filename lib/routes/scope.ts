import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createErrorHandler } from '../error-handler.js'
import type { ResolvedOptions } from '../options.js'
import type { LivechatOperations } from '../operations.js'
import { routeRateLimits, type RouteRateLimits } from '../rate-limits.js'
import { validatorCompiler } from '../validation.js'
import { agentRoutes } from './agent.js'
import { customFieldRoutes } from './custom-fields.js'
import { pageVisitedRoutes } from './page-visited.js'
import { visitorRoutes } from './visitor.js'

export type LivechatInstance = FastifyInstance<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider
>

export interface LivechatScope {
  instance: LivechatInstance
  /** The routes' schemas have checked the input already, so the routes skip the service's own check. */
  operations: LivechatOperations
  options: ResolvedOptions
  /** Each route's `config`: its rate limit. */
  limits: RouteRateLimits
}

export interface RoutesOptions {
  operations: LivechatOperations
  options: ResolvedOptions
}

/**
 * The encapsulated scope of the plugin's routes: its validator, its error
 * envelope and a JSON-only body parser apply here and not to the host's routes.
 */
export async function livechatRoutes (fastify: FastifyInstance, { operations, options }: RoutesOptions): Promise<void> {
  const instance = fastify.withTypeProvider<TypeBoxTypeProvider>()
  instance.setValidatorCompiler(validatorCompiler)
  instance.setErrorHandler(createErrorHandler(options.bodyLimit))
  // Stored text is answered as JSON only: browsers must never sniff it into HTML.
  instance.addHook('onRequest', async (_request, reply) => { reply.header('x-content-type-options', 'nosniff') })
  instance.removeAllContentTypeParsers()
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: options.bodyLimit },
    instance.getDefaultJsonParser('error', 'error'))

  const scope: LivechatScope = { instance, operations, options, limits: routeRateLimits(options.rateLimit) }
  visitorRoutes(scope)
  pageVisitedRoutes(scope)
  customFieldRoutes(scope)
  agentRoutes(scope)
}
