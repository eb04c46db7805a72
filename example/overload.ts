import { getHeapStatistics } from 'node:v8'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'

export interface PressureLimits {
  /** The event-loop delay (ms) above which requests are refused. */
  maxEventLoopDelay: number
  /** The share of time the event loop is busy (0 to 1) above which requests are refused. */
  maxEventLoopUtilization: number
  /** The heap (bytes) above which requests are refused. */
  maxHeapUsedBytes: number
  /** How often the measures are taken (ms). */
  sampleInterval: number
  /** The Retry-After of a refusal (s). */
  retryAfter: number
}

const DEFAULT_PRESSURE_LIMITS: Readonly<PressureLimits> = Object.freeze({
  maxEventLoopDelay: 1000,
  maxEventLoopUtilization: 0.98,
  maxHeapUsedBytes: Math.round(getHeapStatistics().heap_size_limit * 0.9),
  sampleInterval: 1000,
  retryAfter: 10
})

/**
 * Under event-loop or heap pressure, new requests get a quick 503 with
 * Retry-After (in the plugin's envelope on its routes) instead of queueing
 * into timeouts.
 */
export async function refuseUnderPressure (app: FastifyInstance, limits: Partial<PressureLimits> = {}): Promise<void> {
  // 'interval': the utilisation of the last sample, not the average since start that a long uptime dilutes.
  await app.register(underPressure, { ...DEFAULT_PRESSURE_LIMITS, ...limits, eventLoopUtilizationMode: 'interval' })
}
