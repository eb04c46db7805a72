import Fastify, { type FastifyServerOptions } from 'fastify'
import type { Db } from 'mongodb'
import livechat from '../lib/index.js'

export interface ExampleAppOptions {
  db: Db
  logger?: FastifyServerOptions['logger']
}

/** The standalone server: the livechat plugin under /api/v1, and a health check. */
export async function buildApp ({ db, logger = false }: ExampleAppOptions) {
  const app = Fastify({ logger })
  await app.register(livechat, { prefix: '/api/v1', db })

  app.get('/health', async (request, reply) => {
    try {
      await db.command({ ping: 1 })
      return { status: 'ok' }
    } catch (error) {
      request.log.warn({ err: error }, 'health check: the database does not answer')
      return reply.code(503).send({ status: 'database unavailable' })
    }
  })
  return app
}
