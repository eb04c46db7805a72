import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'

/**
 * The livechat widget runs on the customers' websites, so any origin may call
 * the API. Visitors are known by their token, never by cookies: no credentials,
 * so a browser never sends cookies or HTTP auth of this origin along.
 */
export async function allowAnyOrigin (app: FastifyInstance): Promise<void> {
  await app.register(cors, {
    origin: '*',
    credentials: false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Content-Type'],
    // A widget reads when to retry a 429 or a 503.
    exposedHeaders: ['Retry-After'],
    maxAge: 600
  })
}
