import t from 'tap'
import { setTimeout as tick } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { buildApp } from '../../example/app.js'
import { testDatabase } from '../helpers/database.js'
import { startLoad, type LoadOptions } from './load.js'

// About a minute of steady load (SOAK_SECONDS): no errors, and the server's
// heap and open handles are where they were before, within noise.

const SOAK_MS = Number(process.env.SOAK_SECONDS ?? 60) * 1000
const HEAP_NOISE_BYTES = 16 * 1024 * 1024
const HANDLE_NOISE = 2

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** The heap after a full collection, and the count of open handles, once the clients have gone. */
async function settled () {
  await tick(500)
  gc()
  gc()
  return { heapUsed: process.memoryUsage().heapUsed, handles: process.getActiveResourcesInfo().length }
}

const { db } = await testDatabase(t, import.meta.filename)
const app = await buildApp({ db })
t.teardown(() => app.close())
const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
const steady: Omit<LoadOptions, 'durationMs'> = { baseUrl, plan: 'steady', prefix: 'soak', concurrency: 8, timeoutMs: 5000 }

// The warm-up also registers the 100 visitors that the soak then updates and reads.
const warmUp = await startLoad({ ...steady, durationMs: 5000 }).results
const before = await settled()
const soak = await startLoad({ ...steady, durationMs: SOAK_MS }).results
const after = await settled()

t.test('no request failed', async t => {
  t.ok(warmUp.length > 0)
  t.ok(soak.length > 100, `${soak.length} requests in ${SOAK_MS / 1000} s`)
  t.same(soak.filter(r => r.status !== 200), [])
})

t.test('the heap and the open handles did not grow beyond noise', async t => {
  const growth = after.heapUsed - before.heapUsed
  t.ok(growth < HEAP_NOISE_BYTES, `heap ${(before.heapUsed / 2 ** 20).toFixed(1)} MiB before, ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB after`)
  t.ok(after.handles <= before.handles + HANDLE_NOISE, `${before.handles} open handles before, ${after.handles} after`)
})
