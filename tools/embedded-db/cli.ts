import { resolve } from 'node:path'
import { startEmbeddedDb } from './launcher.js'

/**
 * npm run db: the embedded database alone, in the foreground, on DB_PORT (default 27017),
 * keeping its files in DATA_DIR (default .data).
 */
const port = Number(process.env.DB_PORT || 27017)
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`DB_PORT must be a port number, got ${process.env.DB_PORT}`)
const database = await startEmbeddedDb({ dataDir: resolve(process.env.DATA_DIR || '.data'), port })
console.log(`embedded database listening: ${database.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => database.stop())
}
