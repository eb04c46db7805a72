import type { FastifyRequest } from 'fastify'
import type { Db } from 'mongodb'
import { DEFAULT_COLLECTIONS, type LivechatCollectionNames } from './store/collections.js'

export interface SystemUser {
  _id: string
  username: string
  /** Shown as the author's name of history entries in a room. Default the username. */
  name?: string
}

export type HistoryMonitorType = 'url' | 'title'

/** The Rocket.Chat permission an agent route needs. */
export type AgentPermission = 'view-l-room' | 'view-livechat-manager'

/** The host's verdict on an agent request: 401 for `unauthenticated`, 403 for `denied`. */
export type AgentAccess = 'granted' | 'denied' | 'unauthenticated'

/** At most `max` requests per client IP in each `timeWindow` milliseconds. */
export interface RateLimit {
  max: number
  timeWindow: number
}

/**
 * The limits: registration (POST /livechat/visitor); one budget shared by the token routes (GET and
 * DELETE /livechat/visitor/:token, its export, visitor.status, visitor.callStatus, custom.field, custom.fields),
 * the ones that tell a known token from an unknown one; and each other route on its own.
 */
export interface RateLimits {
  registration: RateLimit
  tokenRoutes: RateLimit
  other: RateLimit
}

/** The host's authorisation of the agent routes; without one they all answer 401. */
export type AuthorizeAgent = (request: FastifyRequest, permission: AgentPermission) => AgentAccess | Promise<AgentAccess>

export interface LivechatOptions {
  /**
   * The host's MongoDB database. Required. Its client's options decide how an outage is answered:
   * give the client RECOMMENDED_CLIENT_OPTIONS (docs/reliability.md).
   */
  db: Db
  /** Collection names, each defaulting to Rocket.Chat's. */
  collections?: Partial<LivechatCollectionNames>
  /** Which page change is recorded in the navigation history. Default `url`. */
  historyMonitorType?: HistoryMonitorType
  /** Show navigation history entries as messages in the room (not `_hidden`). Default false. */
  navigationAsMessages?: boolean
  /** How long roomless navigation history is kept, in milliseconds. Default 30 days. */
  historyRetentionMs?: number
  /** Where the server has no TTL indexes: how often expired history is removed. Default 60 s. */
  expiryCleanupIntervalMs?: number
  /** Store the user agent, IP and host of the request that created a visitor. Default false. */
  collectHttpHeaders?: boolean
  /**
   * The key with which the host vouches for its logged-in users (at least 32 bytes): a registration's
   * `identity.hash` must be HMAC-SHA256(identitySecret, identity.userId) in hex. Without it, `identity` is refused.
   */
  identitySecret?: string | Uint8Array
  /** The author of navigation history entries. Default `rocket.cat`. */
  systemUser?: SystemUser
  /**
   * The longest the plugin waits for one database call, in milliseconds: past it the call fails with
   * LIVECHAT_DATABASE_TIMEOUT (a route answers 503 database-unavailable). Default 10000.
   */
  databaseTimeoutMs?: number
  /**
   * At start, create the plugin's indexes, drop its earlier versions' unique `token_1` and `username_1`,
   * and prove with a probe visitor that the unique indexes refuse a second one. Default true.
   */
  ensureIndexes?: boolean
  /** The largest request body, in bytes. Default 65536. */
  bodyLimit?: number
  /**
   * The name of the host instance's decorator holding the service. Default `livechat`, which
   * `app.livechat` is typed for; for another name, declare it in `FastifyInstance` (README, Usage).
   */
  decorator?: string
  /** Erase visitors that still have open rooms (closing nothing, deleting them). Default false: 400. */
  allowEraseWithOpenRooms?: boolean
  /** Decides who may call the agent routes. Without it they answer 401. */
  authorizeAgent?: AuthorizeAgent
  /**
   * The routes' rate limits, applied when the host registers @fastify/rate-limit.
   * Default: 5 registrations, 10 requests to the token routes together and 10 to each other route,
   * per minute per IP. `false`: none.
   */
  rateLimit?: Partial<RateLimits> | false
  /** Fastify's route prefix, normally `/api/v1`. */
  prefix?: string
}

/**
 * The options that make a service. Two registrations under one decorator name (the same API
 * under two prefixes, say) share one service when all of these are equal, `db` being the same
 * object; the route options may differ.
 */
export interface ServiceOptions {
  db: Db
  collections: LivechatCollectionNames
  historyMonitorType: HistoryMonitorType
  navigationAsMessages: boolean
  historyRetentionMs: number
  expiryCleanupIntervalMs: number
  collectHttpHeaders: boolean
  identitySecret: Buffer | undefined
  systemUser: Required<SystemUser>
  databaseTimeoutMs: number
  ensureIndexes: boolean
  allowEraseWithOpenRooms: boolean
}

/** The options of one registration's routes: each registration keeps its own. */
export interface RouteOptions {
  bodyLimit: number
  authorizeAgent: AuthorizeAgent | undefined
  rateLimit: RateLimits | false
}

export interface ResolvedOptions {
  decorator: string
  service: ServiceOptions
  routes: RouteOptions
}

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000

function optionError (name: string, expected: string, value: unknown, given = describe(value)): TypeError {
  return new TypeError(`@pimentachat/livechat: option "${name}" must be ${expected}, got ${given}`)
}

function describe (value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : Object.prototype.toString.call(value)
}

function booleanOption (name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw optionError(name, 'a boolean', value)
  return value
}

function positiveIntegerOption (name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw optionError(name, 'a positive integer', value)
  return value as number
}

function boundedIntegerOption (name: string, value: unknown, fallback: number, max: number, maxMeaning: string): number {
  const integer = positiveIntegerOption(name, value, fallback)
  if (integer > max) throw optionError(name, `at most ${max} (${maxMeaning})`, value)
  return integer
}

// setTimeout and setInterval take at most 2^31 - 1 ms; a longer delay fires after 1 ms instead.
const LONGEST_TIMER_MS = 2 ** 31 - 1

function timerOption (name: string, value: unknown, fallback: number): number {
  return boundedIntegerOption(name, value, fallback, LONGEST_TIMER_MS, 'about 24.8 days')
}

// A retention past a century is a typo, not a policy; and expireAt (now + retention, in
// milliseconds) stays an exact integer.
const LONGEST_RETENTION_MS = 100 * 365 * 24 * 60 * 60 * 1000

function nameOption (name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,120}$/.test(value)) {
    throw optionError(name, 'a name of 1 to 120 characters of A-Z a-z 0-9 _ . -', value)
  }
  return value
}

function dbOption (value: unknown): Db {
  if (typeof (value as Db | undefined)?.collection !== 'function') {
    throw optionError('db', 'a MongoDB Db (from client.db(name))', value)
  }
  return value as Db
}

function collectionsOption (value: unknown): LivechatCollectionNames {
  if (value === undefined) return { ...DEFAULT_COLLECTIONS }
  if (value === null || typeof value !== 'object') throw optionError('collections', 'an object of collection names', value)
  const given = value as Record<string, unknown>
  const collections = { ...DEFAULT_COLLECTIONS }
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(DEFAULT_COLLECTIONS, key)) {
      throw optionError(`collections.${key}`, `one of ${Object.keys(DEFAULT_COLLECTIONS).join(', ')}`, key)
    }
    const name = key as keyof LivechatCollectionNames
    collections[name] = nameOption(`collections.${key}`, given[key], DEFAULT_COLLECTIONS[name])
  }
  return collections
}

function monitorTypeOption (value: unknown): HistoryMonitorType {
  if (value === undefined) return 'url'
  if (value !== 'url' && value !== 'title') throw optionError('historyMonitorType', '"url" or "title"', value)
  return value
}

// Rocket.Chat's own system user, as its setup creates it.
const ROCKET_CAT: Readonly<Required<SystemUser>> = Object.freeze({ _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' })

function systemUserOption (value: unknown): Required<SystemUser> {
  if (value === undefined) return { ...ROCKET_CAT }
  const user = value as Partial<SystemUser> | null
  if (typeof user?._id !== 'string' || user._id === '' || typeof user.username !== 'string' || user.username === '' ||
    (user.name !== undefined && (typeof user.name !== 'string' || user.name === ''))) {
    throw optionError('systemUser', 'an object with non-empty string _id and username, and name if any', value)
  }
  return { _id: user._id, username: user.username, name: user.name ?? user.username }
}

const SHORTEST_IDENTITY_SECRET = 32

// A secret never goes into the error message: only its type and length.
function identitySecretOption (value: unknown): Buffer | undefined {
  if (value === undefined) return undefined
  const secret = typeof value === 'string' || value instanceof Uint8Array ? Buffer.from(value) : undefined
  if (secret === undefined || secret.length < SHORTEST_IDENTITY_SECRET) {
    throw optionError('identitySecret', `a string or bytes of at least ${SHORTEST_IDENTITY_SECRET} bytes`, value, secret && `${secret.length} bytes`)
  }
  return secret
}

function authorizeAgentOption (value: unknown): AuthorizeAgent | undefined {
  if (value !== undefined && typeof value !== 'function') throw optionError('authorizeAgent', 'a function (request, permission)', value)
  return value as AuthorizeAgent | undefined
}

const MINUTE_MS = 60_000
const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  registration: Object.freeze({ max: 5, timeWindow: MINUTE_MS }),
  tokenRoutes: Object.freeze({ max: 10, timeWindow: MINUTE_MS }),
  other: Object.freeze({ max: 10, timeWindow: MINUTE_MS })
})

function limitOption (name: string, value: unknown, fallback: RateLimit): RateLimit {
  if (value === undefined) return { ...fallback }
  const limit = value as Partial<RateLimit> | null
  if (limit === null || typeof limit !== 'object') throw optionError(name, 'an object {max, timeWindow}', value)
  return {
    max: positiveIntegerOption(`${name}.max`, limit.max, fallback.max),
    timeWindow: positiveIntegerOption(`${name}.timeWindow`, limit.timeWindow, fallback.timeWindow)
  }
}

function rateLimitOption (value: unknown): RateLimits | false {
  if (value === false) return false
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw optionError('rateLimit', 'false or an object {registration?, tokenRoutes?, other?}', value)
  }
  const limits = (value ?? {}) as Partial<RateLimits>
  for (const key of Object.keys(limits)) {
    if (!Object.hasOwn(DEFAULT_RATE_LIMITS, key)) throw optionError(`rateLimit.${key}`, `one of ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')}`, key)
  }
  return {
    registration: limitOption('rateLimit.registration', limits.registration, DEFAULT_RATE_LIMITS.registration),
    tokenRoutes: limitOption('rateLimit.tokenRoutes', limits.tokenRoutes, DEFAULT_RATE_LIMITS.tokenRoutes),
    other: limitOption('rateLimit.other', limits.other, DEFAULT_RATE_LIMITS.other)
  }
}

/** Checks the caller's options and returns a new, complete object; the caller's is left as it was. */
export function resolveOptions (given: Partial<LivechatOptions>): ResolvedOptions {
  const service: ServiceOptions = {
    db: dbOption(given.db),
    collections: collectionsOption(given.collections),
    historyMonitorType: monitorTypeOption(given.historyMonitorType),
    navigationAsMessages: booleanOption('navigationAsMessages', given.navigationAsMessages, false),
    historyRetentionMs: boundedIntegerOption('historyRetentionMs', given.historyRetentionMs, THIRTY_DAYS_MS, LONGEST_RETENTION_MS, '100 years'),
    expiryCleanupIntervalMs: timerOption('expiryCleanupIntervalMs', given.expiryCleanupIntervalMs, 60_000),
    collectHttpHeaders: booleanOption('collectHttpHeaders', given.collectHttpHeaders, false),
    identitySecret: identitySecretOption(given.identitySecret),
    systemUser: systemUserOption(given.systemUser),
    databaseTimeoutMs: timerOption('databaseTimeoutMs', given.databaseTimeoutMs, 10_000),
    ensureIndexes: booleanOption('ensureIndexes', given.ensureIndexes, true),
    allowEraseWithOpenRooms: booleanOption('allowEraseWithOpenRooms', given.allowEraseWithOpenRooms, false)
  }
  const routes: RouteOptions = {
    bodyLimit: positiveIntegerOption('bodyLimit', given.bodyLimit, 64 * 1024),
    authorizeAgent: authorizeAgentOption(given.authorizeAgent),
    rateLimit: rateLimitOption(given.rateLimit)
  }
  return { service, routes, decorator: nameOption('decorator', given.decorator, 'livechat') }
}
