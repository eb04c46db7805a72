import type { BenchConfig } from './config.js'
import type { Measurement } from './load.js'
import type { Machine } from './machine.js'
import { ROUTE_SCENARIOS, type Variant } from './scenarios.js'

/** The medians of one route and variant over its runs. */
export interface Figures {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  cpuMicrosPerRequest: number
}

export interface RouteSummary {
  scenario: string
  title: string
  plugin: Figures
  ceiling: Figures
  /** Median over the rounds of plugin / ceiling taken within each round. */
  throughputRatio: number
  throughputTarget: number
  cpuRatio: number
  failed: number
}

export interface ScaleSummary {
  visitors: number[]
  /** Figures by variant, one per collection size, in the order of `visitors`. */
  plugin: Figures[]
  ceiling: Figures[]
  /** Median over the rounds of p50 latency with the most visitors / with the fewest. */
  pluginLatencyRatio: number
  ceilingLatencyRatio: number
  failed: number
}

export interface BenchReport {
  machine: Machine
  config: BenchConfig
  startedAt: string
  finishedAt: string
  seedingMs: Record<string, number>
  routes: RouteSummary[]
  scale: ScaleSummary | null
  measurements: Measurement[]
}

export const CPU_TARGET = 1.25
export const SCALE_LATENCY_TARGET = 1.3

export function median (values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function figuresOf (runs: Measurement[]): Figures {
  return {
    requestsPerSecond: median(runs.map(run => run.requestsPerSecond)),
    p50Ms: median(runs.map(run => run.p50Ms)),
    p99Ms: median(runs.map(run => run.p99Ms)),
    cpuMicrosPerRequest: median(runs.map(run => run.cpuMicrosPerRequest))
  }
}

/** The median of `numerator / denominator` over the rounds where both were measured. */
function medianRatioByRound (numerators: Measurement[], denominators: Measurement[], figure: (run: Measurement) => number): number {
  const ratios = numerators.flatMap(run => {
    const other = denominators.find(candidate => candidate.round === run.round)
    return other === undefined ? [] : [figure(run) / figure(other)]
  })
  return median(ratios)
}

function failuresOf (runs: Measurement[]): number {
  return runs.reduce((sum, run) => sum + run.failed, 0)
}

export function summariseRoutes (measurements: Measurement[]): RouteSummary[] {
  return ROUTE_SCENARIOS.flatMap(scenario => {
    const runs = measurements.filter(run => run.scenario === scenario.id)
    if (runs.length === 0) return []
    const byVariant = (variant: Variant) => runs.filter(run => run.variant === variant)
    return [{
      scenario: scenario.id,
      title: scenario.title,
      plugin: figuresOf(byVariant('plugin')),
      ceiling: figuresOf(byVariant('ceiling')),
      throughputRatio: medianRatioByRound(byVariant('plugin'), byVariant('ceiling'), run => run.requestsPerSecond),
      throughputTarget: scenario.throughputTarget,
      cpuRatio: medianRatioByRound(byVariant('plugin'), byVariant('ceiling'), run => run.cpuMicrosPerRequest),
      failed: failuresOf(runs)
    }]
  })
}

export function summariseScale (measurements: Measurement[]): ScaleSummary | null {
  if (measurements.length === 0) return null
  const visitors = [...new Set(measurements.map(run => run.visitors))].sort((a, b) => a - b)
  const runsOf = (variant: Variant, count: number) => measurements.filter(run => run.variant === variant && run.visitors === count)
  const latencyRatio = (variant: Variant) =>
    medianRatioByRound(runsOf(variant, visitors[visitors.length - 1]), runsOf(variant, visitors[0]), run => run.p50Ms)
  return {
    visitors,
    plugin: visitors.map(count => figuresOf(runsOf('plugin', count))),
    ceiling: visitors.map(count => figuresOf(runsOf('ceiling', count))),
    pluginLatencyRatio: latencyRatio('plugin'),
    ceilingLatencyRatio: latencyRatio('ceiling'),
    failed: failuresOf(measurements)
  }
}
