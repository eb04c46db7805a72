import { readFileSync } from 'node:fs'
import { cpus, release, type } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  node: string
  os: string
  database: string
}

function cpuModel (): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find(text => text.startsWith('model name'))
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim()
  } catch {
    // Not Linux: the model Node reports follows.
  }
  return cpus()[0]?.model ?? 'unknown CPU'
}

export function describeMachine (database: string): Machine {
  return { cpu: cpuModel(), cores: cpus().length, node: process.version, os: `${type()} ${release()}`, database }
}
