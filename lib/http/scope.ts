import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { RouteOptions } from '../options.js'
import type { LivechatUseCases } from '../service/use-cases.js'
import { createErrorHandler } from './error-handler.js'
import { routeRateLimits } from './rate-limits.js'
import type { RouteContext } from './route-context.js'
import { agentRoutes } from './routes/agent.js'
import { chatHistoryRoutes } from './routes/chat-history.js'
import { customFieldDefinitionRoutes } from './routes/custom-field-definitions.js'
import { customFieldRoutes } from './routes/custom-fields.js'
import { pageVisitedRoutes } from './routes/page-visited.js'
import { visitorRoutes } from './routes/visitor.js'
import { validatorCompiler } from './validator.js'

export interface ScopeOptions {
  useCases: LivechatUseCases
  routes: RouteOptions
}

/**
 * The encapsulated scope of the plugin's routes: its validator, its error
 * envelope and a JSON-only body parser apply here and not to the host's routes.
 */
export async function livechatRoutes (fastify: FastifyInstance, { useCases, routes }: ScopeOptions): Promise<void> {
  const instance = fastify.withTypeProvider<TypeBoxTypeProvider>()
  instance.setValidatorCompiler(validatorCompiler)
  instance.setErrorHandler(createErrorHandler(routes.bodyLimit))
  // Stored text is answered as JSON only: browsers must never sniff it into HTML.
  instance.addHook('onRequest', async (_request, reply) => { reply.header('x-content-type-options', 'nosniff') })
  instance.removeAllContentTypeParsers()
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: routes.bodyLimit },
    instance.getDefaultJsonParser('error', 'error'))

  const context: RouteContext = { instance, useCases, authorizeAgent: routes.authorizeAgent, limits: routeRateLimits(instance, routes.rateLimit) }
  visitorRoutes(context)
  pageVisitedRoutes(context)
  customFieldRoutes(context)
  agentRoutes(context)
  chatHistoryRoutes(context)
  customFieldDefinitionRoutes(context)
}
