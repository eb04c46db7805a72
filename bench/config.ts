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

function positiveInteger (env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number {
  const raw = env[name]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${raw}`)
  }
  return value
}

export function readBenchConfig (env: NodeJS.ProcessEnv): BenchConfig {
  return {
    durationSeconds: positiveInteger(env, 'BENCH_DURATION', 6),
    runs: positiveInteger(env, 'BENCH_RUNS', 5),
    connections: positiveInteger(env, 'BENCH_CONNECTIONS', 10),
    warmupSeconds: positiveInteger(env, 'BENCH_WARMUP', 2, true),
    scaleVisitors: positiveInteger(env, 'BENCH_SCALE', 200_000, true),
    scaleRequests: positiveInteger(env, 'BENCH_SCALE_REQUESTS', 3)
  }
}
