import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import type { Db } from 'mongodb'
import livechat, { type LivechatOptions } from '../../lib/index.js'
import type { PressureLimits } from '../../example/overload.js'
import type { Teardown } from './teardown.js'

/** A host app (with Fastify's `server` options) with the plugin under /api/v1, closed when the test ends. */
export async function livechatApp (t: Teardown, db: Db, options: Partial<LivechatOptions> = {}, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(server)
  await app.register(livechat, { prefix: '/api/v1', db, ...options })
  await app.ready()
  t.teardown(() => app.close())
  return app
}

/** The error a registration with these options fails with (the options are taken as given, unchecked by types). */
export async function registerError (options: Record<string, unknown>): Promise<Error> {
  const app = Fastify()
  try {
    await app.register(livechat, options as unknown as LivechatOptions)
    await app.ready()
    throw new Error('register did not fail')
  } catch (error) {
    return error as Error
  } finally {
    await app.close()
  }
}

/** The plugin's routes as Fastify registers them under /api/v1, with their schemas; no index is made. */
export async function pluginRoutes (db: Db): Promise<RouteOptions[]> {
  const routes: RouteOptions[] = []
  const app = Fastify()
  app.addHook('onRoute', route => { routes.push(route) })
  await app.register(livechat, { prefix: '/api/v1', db, ensureIndexes: false })
  await app.ready()
  await app.close()
  return routes
}

/** The example app's overload checks turned off (0 turns one off): for tests about something else than overload. */
export const WITHOUT_OVERLOAD_REFUSALS: Partial<PressureLimits> = { maxEventLoopDelay: 0, maxEventLoopUtilization: 0 }
