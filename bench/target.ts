import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** A running bench server: its base URL, its process's CPU time, and a way to stop it. */
export interface BenchTarget {
  url: string
  /** The server process's user + system CPU time so far, in microseconds. */
  cpuMicros (): Promise<number>
  stop (): Promise<void>
}

const SERVER_SCRIPT = fileURLToPath(new URL('./server.js', import.meta.url))

/** BENCH_NODE_FLAGS: Node flags for the server process, separated by spaces, e.g. `--cpu-prof`. */
function serverNodeFlags (): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(flag => flag !== '')
}

export async function startTarget (mongoUrl: string, dbName: string): Promise<BenchTarget> {
  const child = fork(SERVER_SCRIPT, {
    env: { ...process.env, BENCH_MONGO_URL: mongoUrl, BENCH_DB_NAME: dbName },
    execArgv: serverNodeFlags(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const exited = once(child, 'exit')
  const [message] = await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => { throw new Error(`the bench server exited with code ${code} before listening`) })
  ]) as [{ address: string }]
  const url = message.address
  return {
    url,
    async cpuMicros () {
      const answer = await fetch(`${url}/__cpu`)
      return ((await answer.json()) as { micros: number }).micros
    },
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    }
  }
}
