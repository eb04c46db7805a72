import Fastify, { type FastifyServerOptions } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import type { Db } from 'mongodb'
import livechat, { livechatFrameworkErrors, livechatNotFoundHandler, type HistoryMonitorType } from '../lib/index.js'
import { bearerTokenAuthorization } from './agent-auth.js'
import { DATABASE_TIMEOUT_MS, SERVER_TIMEOUTS } from './config.js'
import { allowAnyOrigin } from './cors.js'
import { registerDocumentation } from './documentation.js'
import { refuseUnderPressure, type PressureLimits } from './overload.js'
import { closeConnectionsWhenClosing } from './prompt-close.js'
import { servePublicFiles } from './public-files.js'

export interface ExampleAppOptions {
  db: Db
  logger?: FastifyServerOptions['logger']
  /** Add the seed document's custom-field definition and room, so its three calls answer as it shows. */
  demoData?: boolean
  /** The bearer token that opens the agent routes; without one they answer 401. */
  agentToken?: string
  /** The plugin's identitySecret: the key of the host's signed user ids. Default none. */
  identitySecret?: string
  /** The page change the navigation history records (the plugin's option); `url` by default. */
  historyMonitorType?: HistoryMonitorType
  /** Enforce the plugin's per-route rate limits (Rocket.Chat's defaults) with @fastify/rate-limit. Default false. */
  rateLimit?: boolean
  /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client (and so its rate-limit key). Default none. */
  trustProxy?: FastifyServerOptions['trustProxy']
  /** When requests are refused for overload (example/overload.ts has the defaults). */
  pressure?: Partial<PressureLimits>
  /** The plugin's databaseTimeoutMs, which the health check keeps too. Default DATABASE_TIMEOUT_MS (2000). */
  databaseTimeoutMs?: number
}

const healthSchema = {
  summary: 'Whether the database answers',
  response: {
    200: { type: 'object', properties: { status: { type: 'string', const: 'ok' } } },
    503: { type: 'object', properties: { status: { type: 'string', const: 'database unavailable' } } }
  }
}

export const DEMO_TOKEN = 'iNKE8a6k6cjbqWhWd'
export const DEMO_ROOM_ID = 'vp3D9H8ud6HYvRpvq'

/** Inserts what the seed's calls rely on, once; later starts leave it as it is. */
async function addDemoData (db: Db): Promise<void> {
  await db.collection('rocketchat_livechat_custom_field').updateOne(
    { _id: 'address' as never },
    { $setOnInsert: { label: 'Address', scope: 'visitor', visibility: 'visible', required: false } },
    { upsert: true }
  )
  await db.collection('rocketchat_room').updateOne(
    { _id: DEMO_ROOM_ID as never },
    { $setOnInsert: { t: 'l', open: true, fname: 'Demo room of the seed document', v: { token: DEMO_TOKEN } } },
    { upsert: true }
  )
}

/**
 * The standalone server: the livechat plugin under /api/v1 open to any origin,
 * the browser client and its demo page, and a health check.
 */
export async function buildApp (options: ExampleAppOptions) {
  const { db, logger = false, demoData = false, agentToken, identitySecret, historyMonitorType, trustProxy = false, databaseTimeoutMs = DATABASE_TIMEOUT_MS } = options
  const { requestTimeout, ...httpTimeouts } = SERVER_TIMEOUTS
  const app = Fastify({ logger, trustProxy, frameworkErrors: livechatFrameworkErrors, requestTimeout, http: httpTimeouts })
  closeConnectionsWhenClosing(app)
  app.setNotFoundHandler(livechatNotFoundHandler)
  // CORS first, so that a browser can read every answer, the overload's 503 included.
  await allowAnyOrigin(app)
  await refuseUnderPressure(app, options.pressure)
  await registerDocumentation(app)
  // Before the plugin, so that it sees the plugin's routes; only routes that declare a limit get one.
  if (options.rateLimit === true) await app.register(rateLimit, { global: false })
  const authorizeAgent = agentToken === undefined ? undefined : bearerTokenAuthorization(agentToken)
  await app.register(livechat, { prefix: '/api/v1', db, historyMonitorType, authorizeAgent, identitySecret, databaseTimeoutMs })
  await servePublicFiles(app)
  if (demoData) await addDemoData(db)

  app.get('/health', { schema: healthSchema }, async (request, reply) => {
    try {
      await db.command({ ping: 1 }, { signal: AbortSignal.timeout(databaseTimeoutMs) })
      return { status: 'ok' }
    } catch (error) {
      request.log.warn({ err: error }, 'health check: the database does not answer')
      return reply.code(503).send({ status: 'database unavailable' })
    }
  })
  return app
}
