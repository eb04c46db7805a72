import autocannon from 'autocannon'
import type { Scenario, Variant } from './scenarios.js'
import type { BenchTarget } from './target.js'

/** One run of autocannon against one route of one variant. */
export interface Measurement {
  scenario: string
  variant: Variant
  /** Visitors in the collection during the run. */
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

/** How much load: for a duration, or a number of requests (for lookups too slow to fill a duration). */
export type LoadShape = { connections: number, durationSeconds: number } | { connections: number, requests: number }

export interface LoadOptions {
  target: BenchTarget
  scenario: Scenario
  variant: Variant
  visitors: number
  shape: LoadShape
  round: number
}

// Lookups without an index on a large collection can be slow; they must count, not time out.
const REQUEST_TIMEOUT_SECONDS = 120

export async function measure ({ target, scenario, variant, visitors, shape, round }: LoadOptions): Promise<Measurement> {
  const next = scenario.nextRequest(variant, visitors, round)
  const cpuBefore = await target.cpuMicros()
  const result = await autocannon({
    url: target.url,
    connections: shape.connections,
    ...('requests' in shape ? { amount: shape.requests } : { duration: shape.durationSeconds }),
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: [{ setupRequest: request => ({ ...request, ...next() }) }]
  })
  const cpuAfter = await target.cpuMicros()
  const completed = result['2xx']
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000
  return {
    scenario: scenario.id,
    variant,
    visitors,
    round,
    requestsPerSecond: completed / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: completed === 0 ? 0 : (cpuAfter - cpuBefore) / completed,
    completed,
    failed: result.non2xx + result.errors + result.timeouts
  }
}
