import { cpus, release, type } from 'node:os'

/** What `npm run bench` measures and for how long; each can be shortened from the environment. */
export interface BenchConfig {
  /** BENCH_DURATION: seconds of load in one measured run. */
  durationSeconds: number
  /** BENCH_RUNS: measured runs of each route and variant; the figures are their medians. */
  runs: number
  /** BENCH_CONNECTIONS: concurrent connections autocannon keeps open. */
  connections: number
  /** BENCH_WARMUP: seconds of unmeasured load on each route and variant before the runs. */
  warmupSeconds: number
  /** BENCH_SCALE: visitors in the large collection of the scale benchmark; 0 skips it. */
  scaleVisitors: number
  /** BENCH_SCALE_REQUESTS: sequential lookups in one run of the scale benchmark. */
  scaleRequests: number
}

export const SMALL_DATASET = 1000

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 1): number {
  const raw = env[name]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < minimum) throw new TypeError(`${name} must be an integer of at least ${minimum}, got ${raw}`)
  return value
}

export function readBenchConfig (env: NodeJS.ProcessEnv): BenchConfig {
  return {
    durationSeconds: integer(env, 'BENCH_DURATION', 6),
    runs: integer(env, 'BENCH_RUNS', 5),
    connections: integer(env, 'BENCH_CONNECTIONS', 10),
    warmupSeconds: integer(env, 'BENCH_WARMUP', 2, 0),
    scaleVisitors: integer(env, 'BENCH_SCALE', 200_000, 0),
    scaleRequests: integer(env, 'BENCH_SCALE_REQUESTS', 3)
  }
}

/** Where the figures were measured. */
export type Machine = ReturnType<typeof describeMachine>

export function describeMachine (database: string) {
  return { cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, node: process.version, os: `${type()} ${release()}`, database }
}
