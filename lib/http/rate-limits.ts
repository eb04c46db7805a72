import type { FastifyInstance, onRequestHookHandler } from 'fastify'
import type { RateLimit, RateLimits } from '../options.js'

/** The options one kind of route adds: its `config` for @fastify/rate-limit, and the shared limiter's hook. */
export interface RouteLimit {
  config: { rateLimit?: RateLimit | false }
  onRequest?: onRequestHookHandler
}

export type RouteRateLimits = Record<keyof RateLimits, RouteLimit>

/** @fastify/rate-limit's decorator: one limiter, with one counter per client, for every route that runs its hook. */
type RateLimiterFactory = (limit: RateLimit) => onRequestHookHandler

function rateLimiterOf (fastify: FastifyInstance): RateLimiterFactory | undefined {
  return (fastify as unknown as { rateLimit?: RateLimiterFactory }).rateLimit
}

/**
 * What each kind of route adds for @fastify/rate-limit, registered by the host before the plugin.
 * Registration and every other route declare their own limit in `config` (a counter per route). The
 * token routes run one limiter's hook instead: @fastify/rate-limit gives each route that declares a
 * limit its own counter, groupId included (fastify/fastify-rate-limit#463), so one budget of guesses
 * needs one limiter. `rateLimit: false` keeps a host's global limit off them.
 */
export function routeRateLimits (fastify: FastifyInstance, limits: RateLimits | false): RouteRateLimits {
  if (limits === false) return { registration: { config: {} }, tokenRoutes: { config: {} }, other: { config: {} } }
  const rateLimiter = rateLimiterOf(fastify)
  if (rateLimiter === undefined) {
    fastify.log.warn('livechat: the routes declare rate limits, but no rate limiter is registered: register @fastify/rate-limit before the plugin')
  }
  return {
    registration: { config: { rateLimit: { ...limits.registration } } },
    tokenRoutes: { config: { rateLimit: false }, ...(rateLimiter !== undefined && { onRequest: rateLimiter({ ...limits.tokenRoutes }) }) },
    other: { config: { rateLimit: { ...limits.other } } }
  }
}
