import { resolve } from 'node:path'
import type { EmbeddedDbOptions } from './launcher.js'

/** `npm run db`'s options: DATA_DIR (default .data) and DB_PORT (default 27017). */
export function cliOptions (env: NodeJS.ProcessEnv): Required<EmbeddedDbOptions> {
  const port = Number(env.DB_PORT || 27017)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`DB_PORT must be a port number, got ${env.DB_PORT}`)
  return { dataDir: resolve(env.DATA_DIR || '.data'), port }
}
