import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface LoadOptions {
  baseUrl: string
  /**
   * 'mixed': new registrations and page visits; 'storm': registrations of a few tokens;
   * 'steady': updates, visits and reads of 100 visitors (a read may come before the first registration of its token).
   */
  plan: 'mixed' | 'storm' | 'steady'
  /** Token prefix, so that runs never share keys. */
  prefix: string
  concurrency: number
  /** A request without an answer after this long counts as hung. */
  timeoutMs: number
  total?: number
  durationMs?: number
  /** 'storm': how many tokens. */
  tokens?: number
}

export interface LoadResult {
  i: number
  kind: 'register' | 'visit' | 'get'
  key: string
  status?: number
  errorType?: string
  visitor?: { _id: string, username: string }
  error?: string
  ms: number
}

export interface RunningLoad {
  /** Resolves after `count` answers have come. */
  answered (count: number): Promise<void>
  /** Every answer, once the load is over. */
  results: Promise<LoadResult[]>
}

/** Runs test/reliability/load.mjs in a process of its own. */
export function startLoad (options: LoadOptions): RunningLoad {
  const script = fileURLToPath(new URL('./load.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const results: LoadResult[] = []
  const waiting: Array<{ count: number, resolve: () => void }> = []
  createInterface({ input: child.stdout }).on('line', line => {
    results.push(JSON.parse(line) as LoadResult)
    for (const waiter of waiting.filter(w => results.length >= w.count)) waiter.resolve()
  })
  return {
    answered: count => new Promise(resolve => { waiting.push({ count, resolve }) }),
    results: new Promise((resolve, reject) => {
      child.on('exit', code => {
        for (const waiter of waiting) waiter.resolve()
        if (code === 0) resolve(results)
        else reject(new Error(`the load generator exited with ${code}`))
      })
    })
  }
}
