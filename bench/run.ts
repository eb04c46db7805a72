import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeMachine, readBenchConfig, SMALL_DATASET, type BenchConfig } from './config.js'
import { openBenchDatabase, type BenchDatabase } from './database.js'
import { ensureVisitors, seedVisitors } from './dataset.js'
import { measure, type Cell, type LoadShape, type Measurement } from './load.js'
import { renderMarkdown, summariseRoutes, summariseScale, type BenchReport } from './report.js'
import { GET_VISITOR, ROUTE_SCENARIOS, VARIANTS } from './scenarios.js'
import { startTarget, type BenchTarget } from './target.js'

const RESULTS_DIR = fileURLToPath(new URL('../../bench/results', import.meta.url))

function log (text: string): void {
  process.stderr.write(`bench: ${text}\n`)
}

function describe (run: Measurement): string {
  return `${run.scenario} ${run.variant} ${run.visitors} visitors, round ${run.round + 1}: ` +
    `${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, ${run.cpuMicrosPerRequest.toFixed(0)} µs CPU/req` +
    (run.failed > 0 ? `, ${run.failed} FAILED` : '')
}

/**
 * Warms every cell up, then measures them round after round. The order of the
 * cells rotates each round so that none always runs first, and plugin and
 * ceiling runs alternate under the same noise.
 */
async function runRounds (cells: Cell[], shape: LoadShape, warmup: LoadShape | null, runs: number): Promise<Measurement[]> {
  if (warmup !== null) {
    for (const cell of cells) await measure(cell, warmup, -1)
  }
  const measurements: Measurement[] = []
  for (let round = 0; round < runs; round++) {
    const offset = round % cells.length
    for (const cell of [...cells.slice(offset), ...cells.slice(0, offset)]) {
      const run = await measure(cell, shape, round)
      log(describe(run))
      measurements.push(run)
    }
  }
  return measurements
}

async function routeBenchmark (database: BenchDatabase, config: BenchConfig): Promise<Measurement[]> {
  const dbName = 'bench_routes'
  const db = database.client.db(dbName)
  await seedVisitors(db, SMALL_DATASET)
  const target = await startTarget(database.url, dbName)
  const shape = { connections: config.connections, durationSeconds: config.durationSeconds }
  const warmup = config.warmupSeconds > 0 ? { connections: config.connections, durationSeconds: config.warmupSeconds } : null
  try {
    const measurements: Measurement[] = []
    for (const scenario of ROUTE_SCENARIOS) {
      log(`${scenario.title}: plugin and ceiling, ${config.runs} runs each`)
      const cells = VARIANTS.map(variant => ({ target, db, scenario, variant, visitors: SMALL_DATASET }))
      measurements.push(...await runRounds(cells, shape, warmup, config.runs))
    }
    return measurements
  } finally {
    await target.stop()
  }
}

async function scaleBenchmark (database: BenchDatabase, config: BenchConfig): Promise<Measurement[]> {
  const sizes = [SMALL_DATASET, config.scaleVisitors]
  const targets: BenchTarget[] = []
  try {
    const cells: Cell[] = []
    for (const visitors of sizes) {
      const dbName = `bench_scale_${visitors}`
      const db = database.client.db(dbName)
      log(`scale: ${visitors} visitors in ${dbName}, seeded unless they are there`)
      await ensureVisitors(db, visitors)
      const target = await startTarget(database.url, dbName)
      targets.push(target)
      cells.push(...VARIANTS.map(variant => ({ target, db, scenario: GET_VISITOR, variant, visitors })))
    }
    // Latency, not throughput, is compared here: one lookup at a time, so none waits behind another.
    const shape = { connections: 1, requests: config.scaleRequests }
    return await runRounds(cells, shape, { connections: 1, requests: 1 }, config.runs)
  } finally {
    await Promise.all(targets.map(target => target.stop()))
  }
}

async function writeResults (report: BenchReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const markdown = renderMarkdown(report)
  await writeFile(join(RESULTS_DIR, 'latest.json'), JSON.stringify(report, null, 2) + '\n')
  await writeFile(join(RESULTS_DIR, 'latest.md'), markdown)
  return markdown
}

async function main (): Promise<void> {
  const config = readBenchConfig(process.env)
  const startedAt = new Date().toISOString()
  const database = await openBenchDatabase()
  try {
    const routeRuns = await routeBenchmark(database, config)
    const scaleRuns = config.scaleVisitors > 0 ? await scaleBenchmark(database, config) : []
    const report: BenchReport = {
      machine: describeMachine(database.server),
      config,
      startedAt,
      routes: summariseRoutes(routeRuns),
      scale: summariseScale(scaleRuns),
      measurements: [...routeRuns, ...scaleRuns]
    }
    process.stdout.write(await writeResults(report))
    log(`written to ${RESULTS_DIR}/latest.{md,json}`)
  } finally {
    await database.stop()
  }
}

await main()
