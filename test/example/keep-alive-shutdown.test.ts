import t from 'tap'
import { Agent, request, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import { testDatabase } from '../helpers/database.js'
import { startScript } from '../helpers/scripts.js'

// npm start gets SIGTERM while a request is in flight on a kept-alive connection, beside an idle
// one, as a browser or a load balancer holds them. The request is answered, and the process exits
// within a second or two of that answer, not after keepAliveTimeout (72 s).
const EXIT_AFTER_LAST_ANSWER_MS = 2000

const { url } = await testDatabase(t, import.meta.filename)
const server = startScript('example/server.ts', { MONGO_URL: url.replace(/\/$/, '/keep_alive_shutdown'), PORT: '0', LOG_LEVEL: 'info', LIVECHAT_RATE_LIMIT: 'off' })
t.teardown(() => server.kill('SIGKILL'))
const origin = new URL(JSON.parse(await server.waitFor(/Server listening at/)).msg.match(/http:\/\/[\d.:]+/)[0] as string)
const agent = new Agent({ keepAlive: true })
t.teardown(() => agent.destroy())

function send (method: string, path: string, headers: Record<string, string | number> = {}) {
  return request({ agent, host: origin.hostname, port: origin.port, method, path, headers })
}

async function bodyOf (response: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of response) body += String(chunk)
  return body
}

t.test('SIGTERM with kept-alive connections: the request in flight is answered, then the process exits at once', async t => {
  const idle = send('GET', '/health')
  idle.end()
  const [idleAnswer] = await once(idle, 'response') as [IncomingMessage]
  await bodyOf(idleAnswer)
  t.equal(idleAnswer.headers.connection, 'keep-alive', 'the first connection stays open, idle')

  const body = JSON.stringify({ visitor: { token: 'in-flight-at-sigterm' } })
  const inFlight = send('POST', '/api/v1/livechat/visitor', { 'content-type': 'application/json', 'content-length': body.length })
  inFlight.write(body.slice(0, 10))
  await new Promise(resolve => setTimeout(resolve, 200))

  server.kill('SIGTERM')
  await server.waitFor(/"msg":"closing"/)
  inFlight.end(body.slice(10))
  const [answer] = await once(inFlight, 'response') as [IncomingMessage]
  const answered = performance.now()
  t.equal(answer.statusCode, 200, await bodyOf(answer))
  t.equal(answer.headers.connection, 'close', 'the answer closes its connection')

  const [code] = await server.exit
  const exitMs = performance.now() - answered
  t.equal(code, 0)
  t.ok(exitMs < EXIT_AFTER_LAST_ANSWER_MS, `exited ${Math.round(exitMs)} ms after the last answer`)
})
