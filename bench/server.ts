import { MongoClient } from 'mongodb'
import { buildApp } from '../example/app.js'
import { mongoClientOptions } from '../example/config.js'
import { ceilingRoutes } from './ceiling.js'

/**
 * The server under test, a child process of the benchmark: the example app
 * (the plugin under /api/v1, as a host mounts it), the ceiling's bare routes
 * under /ceiling, and GET /__cpu with this process's CPU time in microseconds.
 * It tells its parent its address over IPC, and exits cleanly on SIGTERM so
 * that `--cpu-prof` can write its profile.
 */
function requiredEnv (name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`bench server: ${name} is not set`)
  return value
}

// MONGO_URL is inherited from the benchmark's environment: unset, BENCH_MONGO_URL is the embedded database.
const client = new MongoClient(requiredEnv('BENCH_MONGO_URL'), mongoClientOptions(process.env.MONGO_URL))
// The scale run's lookups among 200,000 visitors take seconds on FerretDB (it scans the collection).
const app = await buildApp({ db: client.db(requiredEnv('BENCH_DB_NAME')), databaseTimeoutMs: 60_000 })
await app.register(ceilingRoutes, { prefix: '/ceiling', db: client.db(requiredEnv('BENCH_DB_NAME')) })
app.get('/__cpu', async () => {
  const { user, system } = process.cpuUsage()
  return { micros: user + system }
})

async function shutdown (): Promise<void> {
  await app.close()
  await client.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('disconnect', shutdown)

const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.send?.({ address })
