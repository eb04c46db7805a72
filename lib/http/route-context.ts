import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AuthorizeAgent } from '../options.js'
import type { LivechatUseCases } from '../service/use-cases.js'
import type { RouteRateLimits } from './rate-limits.js'

export type LivechatInstance = FastifyInstance<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider
>

/** What a route module adds its routes with. */
export interface RouteContext {
  instance: LivechatInstance
  /** The routes' schemas have checked the input already, so the routes skip the service's own check. */
  useCases: LivechatUseCases
  authorizeAgent: AuthorizeAgent | undefined
  /** What each kind of route adds for its rate limit. */
  limits: RouteRateLimits
}
