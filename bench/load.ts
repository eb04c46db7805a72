import autocannon from 'autocannon'
import type { Db } from 'mongodb'
import { removeAddedSince } from './dataset.js'
import type { Scenario, Variant } from './scenarios.js'
import type { BenchTarget } from './target.js'

/** One route of one variant, served by `target` from the database `db` holding `visitors` seeded visitors. */
export interface Cell {
  target: BenchTarget
  db: Db
  scenario: Scenario
  variant: Variant
  visitors: number
}

/** How much load: for a duration, or a number of requests (for lookups too slow to fill a duration). */
export type LoadShape = { connections: number, durationSeconds: number } | { connections: number, requests: number }

/** One run of autocannon against one cell. */
export interface Measurement {
  scenario: string
  variant: Variant
  visitors: number
  round: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** The server process's CPU time per completed request. */
  cpuMicrosPerRequest: number
  completed: number
  /** Non-2xx answers, connection errors and timeouts: a correct run has none. */
  failed: number
}

// Lookups without an index on a large collection can be slow; they must count, not time out.
const REQUEST_TIMEOUT_SECONDS = 120

/** One load against one cell; the writes it made are removed so that every run sees the same data. */
export async function measure ({ target, db, scenario, variant, visitors }: Cell, shape: LoadShape, round: number): Promise<Measurement> {
  const next = scenario.nextRequest(variant, visitors, round)
  const since = new Date()
  const cpuBefore = await target.cpuMicros()
  const result = await autocannon({
    url: target.url,
    connections: shape.connections,
    ...('requests' in shape ? { amount: shape.requests } : { duration: shape.durationSeconds }),
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: [{ setupRequest: request => ({ ...request, ...next() }) }]
  })
  const cpuAfter = await target.cpuMicros()
  if (scenario.writes) await removeAddedSince(db, since)
  const completed = result['2xx']
  return {
    scenario: scenario.id,
    variant,
    visitors,
    round,
    requestsPerSecond: completed / ((result.finish.getTime() - result.start.getTime()) / 1000),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: completed === 0 ? 0 : (cpuAfter - cpuBefore) / completed,
    completed,
    failed: result.non2xx + result.errors + result.timeouts
  }
}
