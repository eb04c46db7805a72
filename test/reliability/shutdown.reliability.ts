import t from 'tap'
import { MongoClient } from 'mongodb'
import { startScript } from '../helpers/scripts.js'
import { startLoad } from './load.js'
import { temporaryDir } from '../helpers/temporary-dir.js'

// npm start under load gets SIGTERM: the requests it had begun finish with 200,
// new ones are refused, the client and the embedded database close, and the
// process exits 0 within the bound.

const EXIT_BOUND_MS = 10_000
const dataDir = await temporaryDir(t, 'shutdown')

const server = startScript('example/server.ts', { MONGO_URL: '', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', LIVECHAT_RATE_LIMIT: 'off' })
const databaseUrl = JSON.parse(await server.waitFor(/embedded database started/)).url as string
const baseUrl = JSON.parse(await server.waitFor(/Server listening at/)).msg.match(/http:\/\/[\d.:]+/)[0] as string

const load = startLoad({ baseUrl, plan: 'mixed', prefix: 'shutdown', concurrency: 32, timeoutMs: EXIT_BOUND_MS, total: 3000 })
await load.answered(300)
const signalled = performance.now()
server.kill('SIGTERM')
const [code] = await server.exit
const exitMs = performance.now() - signalled
const results = await load.results

interface LogLine { reqId?: string, msg: string, res?: { statusCode: number } }
const log: LogLine[] = server.lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as LogLine)

t.test('the process exits 0 within the bound', async t => {
  t.equal(code, 0)
  t.ok(exitMs < EXIT_BOUND_MS, `exited ${Math.round(exitMs)} ms after SIGTERM`)
  t.ok(log.some(line => line.msg === 'closed'), 'it logged its clean close')
})

t.test('every request the server began was finished with its answer', async t => {
  const begun = new Set(log.filter(line => line.msg === 'incoming request').map(line => line.reqId))
  const finished = new Map(log.filter(line => line.msg === 'request completed').map(line => [line.reqId, line.res?.statusCode]))
  t.ok(begun.size >= 300)
  t.same([...begun].filter(id => !finished.has(id)), [], 'none was cut off')
  t.same(new Set(finished.values()), new Set([200]), 'and each got a 200')
  t.ok(results.filter(r => r.status === 200).length >= 300, 'the clients got them')
})

t.test('after the signal, new requests are refused, never left hanging', async t => {
  const late = results.filter(r => r.status !== 200)
  t.ok(late.length > 0, `${late.length} requests came too late`)
  t.same(late.filter(r => r.error === 'timeout'), [], 'none hung')
  t.same(late.filter(r => r.status !== undefined && r.status !== 503), [], 'an answer, if any, is a 503')
})

t.test('the embedded database stopped with it', async t => {
  const client = new MongoClient(databaseUrl, { serverSelectionTimeoutMS: 300 })
  t.teardown(() => client.close())
  await t.rejects(client.db('x').command({ ping: 1 }))
})
