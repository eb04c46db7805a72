import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { ensureFerretdbBinary } from './binary.js'

export interface EmbeddedDbOptions {
  /** Folder of the SQLite files; created when missing, kept after stop. */
  dataDir: string
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
}

export interface EmbeddedDb {
  /** mongodb:// URL of the running server. */
  url: string
  /** Stops the server and waits for it to exit. */
  stop (): Promise<void>
}

/**
 * Starts FerretDB (MongoDB wire protocol on SQLite) as a child process. It also
 * stops by itself when this process goes away, since it watches its standard input.
 */
export async function startEmbeddedDb ({ dataDir, port = 0 }: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const binary = await ensureFerretdbBinary()
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-data', dataDir, '-stop-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const exited = once(child, 'exit')
  const firstLine = once(createInterface({ input: child.stdout }), 'line')
  const url = await Promise.race([
    firstLine.then(([line]) => String(line)),
    exited.then(([code]) => { throw new Error(`the embedded database exited with code ${code} before it was ready`) })
  ])
  return {
    url,
    async stop () {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    }
  }
}
