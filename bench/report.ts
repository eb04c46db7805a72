import type { BenchConfig, Machine } from './config.js'
import type { Measurement } from './load.js'
import { ROUTE_SCENARIOS, VARIANTS, type Variant } from './scenarios.js'

export interface BenchReport {
  machine: Machine
  config: BenchConfig
  startedAt: string
  routes: RouteSummary[]
  scale: ScaleSummary | null
  measurements: Measurement[]
}

type Figures = ReturnType<typeof figuresOf>
type RouteSummary = ReturnType<typeof summariseRoutes>[number]
type ScaleSummary = NonNullable<ReturnType<typeof summariseScale>>

const CPU_TARGET = 1.25
const SCALE_LATENCY_TARGET = 1.3

function median (values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** The medians of one route and variant over its runs. */
function figuresOf (runs: Measurement[]) {
  return {
    requestsPerSecond: median(runs.map(run => run.requestsPerSecond)),
    p50Ms: median(runs.map(run => run.p50Ms)),
    p99Ms: median(runs.map(run => run.p99Ms)),
    cpuMicrosPerRequest: median(runs.map(run => run.cpuMicrosPerRequest))
  }
}

/** The median of `numerator / denominator` over the rounds where both were measured. */
function medianRatioByRound (numerators: Measurement[], denominators: Measurement[], figure: (run: Measurement) => number): number {
  return median(numerators.flatMap(run => {
    const other = denominators.find(candidate => candidate.round === run.round)
    return other === undefined ? [] : [figure(run) / figure(other)]
  }))
}

function failuresOf (runs: Measurement[]): number {
  return runs.reduce((sum, run) => sum + run.failed, 0)
}

export function summariseRoutes (measurements: Measurement[]) {
  return ROUTE_SCENARIOS.flatMap(scenario => {
    const runs = measurements.filter(run => run.scenario === scenario.id)
    if (runs.length === 0) return []
    const [plugin, ceiling] = VARIANTS.map(variant => runs.filter(run => run.variant === variant))
    return [{
      scenario: scenario.id,
      title: scenario.title,
      plugin: figuresOf(plugin),
      ceiling: figuresOf(ceiling),
      throughputRatio: medianRatioByRound(plugin, ceiling, run => run.requestsPerSecond),
      throughputTarget: scenario.throughputTarget,
      cpuRatio: medianRatioByRound(plugin, ceiling, run => run.cpuMicrosPerRequest),
      failed: failuresOf(runs)
    }]
  })
}

export function summariseScale (measurements: Measurement[]) {
  if (measurements.length === 0) return null
  const visitors = [...new Set(measurements.map(run => run.visitors))].sort((a, b) => a - b)
  const runsOf = (variant: Variant, count: number) => measurements.filter(run => run.variant === variant && run.visitors === count)
  // p50 latency with the most visitors / with the fewest.
  const latencyRatio = (variant: Variant) =>
    medianRatioByRound(runsOf(variant, visitors[visitors.length - 1]), runsOf(variant, visitors[0]), run => run.p50Ms)
  return {
    rows: visitors.map(count => ({ visitors: count, plugin: figuresOf(runsOf('plugin', count)), ceiling: figuresOf(runsOf('ceiling', count)) })),
    pluginLatencyRatio: latencyRatio('plugin'),
    ceilingLatencyRatio: latencyRatio('ceiling'),
    failed: failuresOf(measurements)
  }
}

function number (value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function latency ({ p50Ms, p99Ms }: Figures): string {
  return `${number(p50Ms, 1)} / ${number(p99Ms, 1)}`
}

function ratio (value: number, target: string, met: boolean): string {
  return `${number(value, 2)} (${target}: ${met ? 'met' : '**missed**'})`
}

function row (cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}

function routeRow (route: RouteSummary): string {
  const { plugin, ceiling, throughputRatio, throughputTarget, cpuRatio } = route
  return row([
    route.title + (route.failed > 0 ? ` (**${route.failed} failed**)` : ''),
    number(plugin.requestsPerSecond), number(ceiling.requestsPerSecond),
    ratio(throughputRatio, `≥ ${throughputTarget}`, throughputRatio >= throughputTarget),
    latency(plugin), latency(ceiling),
    number(plugin.cpuMicrosPerRequest), number(ceiling.cpuMicrosPerRequest),
    ratio(cpuRatio, `≤ ${CPU_TARGET}`, cpuRatio <= CPU_TARGET)
  ])
}

function scaleLines ({ rows, pluginLatencyRatio, ceilingLatencyRatio, failed }: ScaleSummary, requests: number): string[] {
  return [
    `GET visitor by token, one request at a time, ${requests} per run:`,
    '',
    '| visitors | plugin p50 / p99 ms | ceiling p50 / p99 ms |',
    '|---:|---:|---:|',
    ...rows.map(({ visitors, plugin, ceiling }) => row([number(visitors), latency(plugin), latency(ceiling)])),
    '',
    `p50 latency with ${number(rows[rows.length - 1].visitors)} visitors / with ${number(rows[0].visitors)}: ` +
    `plugin ${ratio(pluginLatencyRatio, `≤ ${SCALE_LATENCY_TARGET}`, pluginLatencyRatio <= SCALE_LATENCY_TARGET)}, ` +
    `ceiling ${number(ceilingLatencyRatio, 2)}.` + (failed > 0 ? ` **${failed} requests failed.**` : '')
  ]
}

export function renderMarkdown ({ machine, config, startedAt, routes, scale }: BenchReport): string {
  return [
    `Measured ${startedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, ` +
    `Node ${machine.node}, ${machine.database}, ${machine.os}. Medians of ${config.runs} runs of ${config.durationSeconds} s ` +
    `with ${config.connections} connections after ${config.warmupSeconds} s of warm-up; ratios are taken within each round of plugin and ceiling runs, then their median.`,
    '',
    '| route | plugin req/s | ceiling req/s | throughput plugin / ceiling | plugin p50 / p99 ms | ceiling p50 / p99 ms | plugin CPU µs/req | ceiling CPU µs/req | CPU plugin / ceiling |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...routes.map(routeRow),
    ...(scale === null ? [] : ['', ...scaleLines(scale, config.scaleRequests)])
  ].join('\n') + '\n'
}
