import type { FastifyInstance } from 'fastify'

/**
 * Lets the app exit as soon as its last answer is out. When it closes, Fastify closes the idle
 * connections and answers new requests 503 with `Connection: close`; but a request already in
 * flight on a kept-alive connection (every browser's, every load balancer's) was answered without
 * it, and its connection then stayed open until keepAliveTimeout (72 s) before the process could
 * exit. While the app closes, every answer closes its connection.
 */
export function closeConnectionsWhenClosing (app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
}
