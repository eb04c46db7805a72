import { cliOptions } from './cli-options.js'
import { startEmbeddedDb } from './launcher.js'

/** npm run db: the embedded database alone, in the foreground, until SIGINT or SIGTERM. */
const database = await startEmbeddedDb(cliOptions(process.env))
console.log(`embedded database listening: ${database.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => database.stop())
}
