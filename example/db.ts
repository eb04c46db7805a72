import { dbPortOf, readConfig } from './config.js'
import { startEmbeddedDb } from './embedded-db.js'

/** npm run db: the embedded database alone, in the foreground, on DB_PORT (default 27017). */
const database = await startEmbeddedDb({ dataDir: readConfig(process.env).dataDir, port: dbPortOf(process.env) })
console.log(`embedded database listening: ${database.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => database.stop())
}
