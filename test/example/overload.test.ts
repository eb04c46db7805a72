import t from 'tap'
import { setTimeout as tick } from 'node:timers/promises'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../example/app.js'
import { testDatabase } from '../helpers/database.js'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'

const { db } = await testDatabase(t, import.meta.filename)

/** Keeps the event loop busy, as a burst of CPU-heavy work would. */
function blockEventLoop (ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end);
}

/**
 * The answer to a request once the event loop has been free for a sample:
 * retried while refused, since the sample taken while the app started (or
 * while the shared machine was busy) may itself be over the limit.
 */
async function answerOnceFree (app: FastifyInstance): Promise<LightMyRequestResponse> {
  let res = await app.inject('/api/v1/livechat/visitor/nobody')
  for (let tries = 0; res.statusCode === 503 && tries < 100; tries++) {
    await tick(20)
    res = await app.inject('/api/v1/livechat/visitor/nobody')
  }
  return res
}

t.test('when the event loop is saturated, a request gets a quick 503 with Retry-After, in the envelope', async t => {
  const app = await buildApp({ db, pressure: { maxEventLoopUtilization: 0.8, sampleInterval: 200, retryAfter: 3 } })
  t.teardown(() => app.close())
  t.equal((await answerOnceFree(app)).statusCode, 400, 'no pressure: the request is served')
  // The sample that ends the block also spans up to one idle interval (200 ms) before it: 1200 / 1400 is still over 0.8.
  blockEventLoop(1200)
  await tick(5)
  const res = await app.inject('/api/v1/livechat/visitor/nobody')
  t.same([res.statusCode, res.json()], [503, { success: false, error: 'The server is busy, try again', errorType: 'service-unavailable' }])
  t.equal(res.headers['retry-after'], '3')
  t.equal((await answerOnceFree(app)).statusCode, 400, 'once the loop is free again, requests are served')
})

t.test('over the heap limit, the same', async t => {
  const app = await buildApp({ db, pressure: { maxHeapUsedBytes: 1, sampleInterval: 10 } })
  t.teardown(() => app.close())
  await tick(100)
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', headers: { origin: 'https://shop.example' }, payload: { visitor: { token: 'heavy' } } })
  t.same([res.statusCode, res.json().errorType, res.headers['retry-after']], [503, 'service-unavailable', '10'])
  t.same([res.headers['access-control-allow-origin'], res.headers['access-control-expose-headers']], ['*', 'Retry-After'],
    'a widget on another site can read the refusal and when to retry')
  t.equal(await db.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ token: 'heavy' }), 0, 'a refused request writes nothing')
})
