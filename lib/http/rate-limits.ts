import type { RateLimit, RateLimits } from '../options.js'

/** The route `config` of each kind of route. */
export type RouteRateLimits = Record<keyof RateLimits, { rateLimit?: RateLimit }>

/**
 * The route `config` that @fastify/rate-limit reads when the host registers it
 * (before this plugin, so that it sees the routes); nothing when limits are off.
 */
export function routeRateLimits (limits: RateLimits | false): RouteRateLimits {
  if (limits === false) return { registration: {}, other: {} }
  return { registration: { rateLimit: { ...limits.registration } }, other: { rateLimit: { ...limits.other } } }
}
