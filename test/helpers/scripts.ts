import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'

export interface Started { exit: Promise<unknown[]>, lines: string[], waitFor (pattern: RegExp): Promise<string> }

/** Runs a script of the project (a .ts one through the test's own loader) and collects its output lines; an `env` entry set to undefined is removed. */
export function startScript (script: string, env: NodeJS.ProcessEnv, args: string[] = []): Started & { kill (signal: NodeJS.Signals): void } {
  const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined))
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const waiters: Array<[RegExp, (line: string) => void]> = []
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', line => {
      lines.push(line)
      for (const [pattern, resolve] of waiters) if (pattern.test(line)) resolve(line)
    })
  }
  return {
    exit: once(child, 'exit'),
    lines,
    kill: signal => child.kill(signal),
    waitFor: pattern => new Promise(resolve => {
      const seen = lines.find(line => pattern.test(line))
      if (seen !== undefined) resolve(seen)
      else waiters.push([pattern, resolve])
    })
  }
}
