import t from 'tap'
import { connect } from 'node:net'
import { once } from 'node:events'
import { buildApp } from '../../example/app.js'
import { SERVER_TIMEOUTS } from '../../example/config.js'
import { testDatabase } from '../helpers/database.js'

// A client that trickles its request keeps a connection and its buffers for as long as it likes,
// unless the server cuts it: the example app cuts such a request with a 408 within 30 s.
const CUT_WITHIN_MS = 30_000

const { db } = await testDatabase(t, import.meta.filename)
const app = await buildApp({ db })
t.teardown(() => app.close())
await app.listen({ host: '127.0.0.1', port: 0 })
const { port } = app.server.address() as { port: number }

/** Sends `head` at once, then one byte of `trickled` a second; resolves with what the server answered and when. */
async function trickle (head: string, trickled: string) {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const started = performance.now()
  socket.write(head)
  let answer = ''
  socket.on('data', chunk => { answer += String(chunk) })
  const timer = setInterval(() => {
    if (trickled.length > 0 && !socket.destroyed) { socket.write(trickled[0]); trickled = trickled.slice(1) }
  }, 1000)
  await once(socket, 'close')
  clearInterval(timer)
  return { answer, ms: performance.now() - started }
}

t.test('a request body trickled a byte a second is cut with a 408 within 30 s', async t => {
  const body = JSON.stringify({ visitor: { token: 'trickled-body', name: 'x'.repeat(100) } })
  const head = `POST /api/v1/livechat/visitor HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
  const { answer, ms } = await trickle(head, body)
  t.match(answer, /^HTTP\/1\.1 408 /, answer.split('\r\n')[0])
  t.ok(ms >= SERVER_TIMEOUTS.requestTimeout - 100 && ms < CUT_WITHIN_MS, `cut after ${Math.round(ms)} ms`)
  t.equal(await db.collection('rocketchat_livechat_visitor').countDocuments({ token: 'trickled-body' }), 0, 'and nothing was written')
})

t.test('headers trickled a byte a second are cut the same way', async t => {
  const { answer, ms } = await trickle('GET /health HTTP/1.1\r\n', 'X-Slow: ' + 'y'.repeat(100))
  t.match(answer, /^HTTP\/1\.1 408 /, answer.split('\r\n')[0])
  t.ok(ms < CUT_WITHIN_MS, `cut after ${Math.round(ms)} ms`)
})
