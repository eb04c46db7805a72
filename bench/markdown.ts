import { CPU_TARGET, SCALE_LATENCY_TARGET, type BenchReport, type Figures, type RouteSummary, type ScaleSummary } from './summary.js'

function number (value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function verdict (met: boolean): string {
  return met ? 'met' : '**missed**'
}

function latency ({ p50Ms, p99Ms }: Figures): string {
  return `${number(p50Ms, 1)} / ${number(p99Ms, 1)}`
}

function routeRow (route: RouteSummary): string {
  return `| ${route.title} | ${number(route.plugin.requestsPerSecond)} | ${number(route.ceiling.requestsPerSecond)} | ` +
    `${number(route.throughputRatio, 2)} (≥ ${route.throughputTarget}: ${verdict(route.throughputRatio >= route.throughputTarget)}) | ` +
    `${latency(route.plugin)} | ${latency(route.ceiling)} | ` +
    `${number(route.plugin.cpuMicrosPerRequest)} | ${number(route.ceiling.cpuMicrosPerRequest)} | ` +
    `${number(route.cpuRatio, 2)} (≤ ${CPU_TARGET}: ${verdict(route.cpuRatio <= CPU_TARGET)}) |` +
    (route.failed > 0 ? ` ${route.failed} failed |` : '')
}

function routeTable (routes: RouteSummary[]): string[] {
  return [
    '| route | plugin req/s | ceiling req/s | throughput plugin / ceiling | plugin p50 / p99 ms | ceiling p50 / p99 ms | plugin CPU µs/req | ceiling CPU µs/req | CPU plugin / ceiling |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...routes.map(routeRow)
  ]
}

function scaleTable (scale: ScaleSummary, requests: number): string[] {
  const rows = scale.visitors.map((visitors, index) =>
    `| ${number(visitors)} | ${latency(scale.plugin[index])} | ${latency(scale.ceiling[index])} |`)
  const [fewest, most] = [scale.visitors[0], scale.visitors[scale.visitors.length - 1]]
  return [
    `GET visitor by token, one request at a time, ${requests} per run:`,
    '',
    '| visitors | plugin p50 / p99 ms | ceiling p50 / p99 ms |',
    '|---:|---:|---:|',
    ...rows,
    '',
    `p50 latency with ${number(most)} visitors / with ${number(fewest)}: plugin **${number(scale.pluginLatencyRatio, 2)}**, ` +
    `ceiling ${number(scale.ceilingLatencyRatio, 2)} (target ≤ ${SCALE_LATENCY_TARGET}: ` +
    `${verdict(scale.pluginLatencyRatio <= SCALE_LATENCY_TARGET)}).` +
    (scale.failed > 0 ? ` ${scale.failed} requests failed.` : '')
  ]
}

export function renderMarkdown (report: BenchReport): string {
  const { machine, config } = report
  const lines = [
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, ` +
    `Node ${machine.node}, ${machine.database}, ${machine.os}. Medians of ${config.runs} runs of ${config.durationSeconds} s ` +
    `with ${config.connections} connections; ratios are taken within each round of plugin and ceiling runs, then their median.`,
    '',
    ...routeTable(report.routes)
  ]
  if (report.scale !== null) lines.push('', ...scaleTable(report.scale, config.scaleRequests))
  return lines.join('\n') + '\n'
}
