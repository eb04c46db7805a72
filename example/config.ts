import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { RECOMMENDED_CLIENT_OPTIONS } from '../lib/index.js'

export interface ServerConfig {
  host: string
  port: number
  /** The MongoDB to use; undefined starts the embedded database. */
  mongoUrl: string | undefined
  dbName: string
  logLevel: string
  dataDir: string
  /** LIVECHAT_DEMO_DATA: `on` or `off`; by default on for the embedded database only. */
  demoData: boolean
  /** LIVECHAT_AGENT_TOKEN: the bearer token of the example's agent; unset, the agent routes answer 401. */
  agentToken: string | undefined
  /** LIVECHAT_RATE_LIMIT: `off` turns the per-route rate limits off. */
  rateLimit: boolean
  /** LIVECHAT_IDENTITY_SECRET: the plugin's identitySecret; unset, no identity is verified. */
  identitySecret: string | undefined
  /** TRUST_PROXY: Fastify's trustProxy, the proxies' addresses and CIDRs separated by commas; never `true`. */
  trustProxy: false | string
}

export const DEFAULT_DB_NAME = 'pimentachat'

/** The database named in a mongodb:// URL's path (the URL may list several hosts), or the default. */
export function databaseNameOf (mongoUrl = ''): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(mongoUrl)
  return decodeURIComponent(path?.[1] ?? '') || DEFAULT_DB_NAME
}

function portOf (value: string | undefined, name: string, fallback: number): number {
  const port = Number(value ?? fallback)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`${name} must be a port number, got ${value}`)
  return port
}

function isAddressOrCidr (entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))
}

function trustProxyOf (value = ''): false | string {
  if (value === '' || value === 'false') return false
  if (value === 'true') {
    throw new TypeError('TRUST_PROXY=true would trust X-Forwarded-For from any client, which could then choose its IP, ' +
      'and so its rate limit and stored address: give your proxies\' addresses or CIDRs, separated by commas')
  }
  const wrong = value.split(',').map(entry => entry.trim()).find(entry => !isAddressOrCidr(entry))
  if (wrong !== undefined) throw new TypeError(`TRUST_PROXY must list addresses or CIDRs separated by commas, got "${wrong}"`)
  return value
}

// The demo data goes into the embedded database only, unless asked for: never into a real one unasked.
function demoDataOf (value: string | undefined, mongoUrl: string | undefined): boolean {
  if (value === undefined || value === '') return mongoUrl === undefined
  if (value !== 'on' && value !== 'off') throw new TypeError(`LIVECHAT_DEMO_DATA must be on or off, got ${value}`)
  return value === 'on'
}

export function readConfig (env: NodeJS.ProcessEnv): ServerConfig {
  const mongoUrl = env.MONGO_URL || undefined
  return {
    host: env.HOST || '127.0.0.1',
    port: portOf(env.PORT, 'PORT', 3000),
    mongoUrl,
    dbName: databaseNameOf(mongoUrl),
    logLevel: env.LOG_LEVEL || 'info',
    dataDir: resolve(env.DATA_DIR || '.data'),
    demoData: demoDataOf(env.LIVECHAT_DEMO_DATA, mongoUrl),
    agentToken: env.LIVECHAT_AGENT_TOKEN || undefined,
    identitySecret: env.LIVECHAT_IDENTITY_SECRET || undefined,
    rateLimit: env.LIVECHAT_RATE_LIMIT !== 'off',
    trustProxy: trustProxyOf(env.TRUST_PROXY)
  }
}

/**
 * The embedded FerretDB's SQLite takes one write at a time; with the driver's 100 connections its
 * calls waited long and unevenly (the soak test: 177 calls over 200 ms, the slowest 1.5 s). Two
 * connections queue the calls in the driver, first come first served (9 over 200 ms, the slowest
 * 1.3 s, for 7% fewer requests): docs/embedded-database.md.
 */
export const EMBEDDED_DB_CLIENT_OPTIONS = { ...RECOMMENDED_CLIENT_OPTIONS, maxPoolSize: 2 }

/** The client options for MONGO_URL, or for the embedded database when it is undefined. */
export function mongoClientOptions (mongoUrl: string | undefined) {
  return mongoUrl ? RECOMMENDED_CLIENT_OPTIONS : EMBEDDED_DB_CLIENT_OPTIONS
}

/**
 * The example app's databaseTimeoutMs (the plugin's option), and its health check's: past the
 * client's own bounds (a second of server selection, two when the driver retries a read), and past
 * the slowest call of the soak test's steady load on the embedded database (1.04 s, behind the
 * expiry timer's delete, which held SQLite's write lock for 1.3 s). Long enough for the small data
 * the example is for only: on FerretDB a lookup by token scans the collection, and takes seconds
 * among 200,000 visitors.
 */
export const DATABASE_TIMEOUT_MS = 2000

/**
 * The example server's HTTP timeouts: a whole request, headers and body, must arrive within
 * requestTimeout (15 s: a 64 KiB body at 35 kbit/s), else it is cut with a 408. Node checks the
 * timeouts every connectionsCheckingInterval, 30 s by default, and with that a body trickled one
 * byte at a time was cut only after about 60 s (measured on Node 20); headersTimeout must not be
 * above requestTimeout either.
 */
export const SERVER_TIMEOUTS = Object.freeze({ requestTimeout: 15_000, headersTimeout: 15_000, connectionsCheckingInterval: 1_000 })
