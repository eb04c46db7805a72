import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readBenchConfig, SMALL_DATASET } from './config.js'
import { openBenchDatabase } from './database.js'
import { removeAddedSince, seedVisitors } from './dataset.js'
import { measure } from './load.js'
import { renderProfileSummary, type CpuProfile } from './profile-summary.js'
import { GET_VISITOR, PAGE_VISITED, UPDATE_VISITOR, type Scenario } from './scenarios.js'
import { startTarget } from './target.js'

/**
 * npm run bench:profile: the plugin's seed routes under load in a server run
 * with `--cpu-prof`, then the profile's self time by area and by function,
 * written to bench/results/profile.md beside the .cpuprofile (which Chrome's
 * DevTools can open). Only the plugin is loaded: the ceiling would blur it.
 */
const PROFILE_DIR = fileURLToPath(new URL('../../bench/results/profile', import.meta.url))
const PROFILABLE: Scenario[] = [GET_VISITOR, UPDATE_VISITOR, PAGE_VISITED]

/** BENCH_PROFILE_ROUTES: a comma-separated list of scenario ids to load; all three by default. */
function profiledScenarios (env: NodeJS.ProcessEnv): Scenario[] {
  const wanted = env.BENCH_PROFILE_ROUTES?.split(',').map(id => id.trim()).filter(id => id !== '')
  if (wanted === undefined || wanted.length === 0) return PROFILABLE
  const unknown = wanted.filter(id => !PROFILABLE.some(scenario => scenario.id === id))
  if (unknown.length > 0) throw new TypeError(`BENCH_PROFILE_ROUTES: unknown route ${unknown.join(', ')}; known: ${PROFILABLE.map(s => s.id).join(', ')}`)
  return PROFILABLE.filter(scenario => wanted.includes(scenario.id))
}

async function main (): Promise<void> {
  const config = readBenchConfig(process.env)
  await rm(PROFILE_DIR, { recursive: true, force: true })
  await mkdir(PROFILE_DIR, { recursive: true })
  const database = await openBenchDatabase()
  try {
    const dbName = 'bench_profile'
    const db = database.client.db(dbName)
    await seedVisitors(db, SMALL_DATASET)
    const target = await startTarget({ mongoUrl: database.url, dbName, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] })
    for (const scenario of profiledScenarios(process.env)) {
      const since = new Date()
      const run = await measure({ target, scenario, variant: 'plugin', visitors: SMALL_DATASET, shape: { connections: config.connections, durationSeconds: config.durationSeconds }, round: 0 })
      if (scenario.writes) await removeAddedSince(db, since)
      process.stderr.write(`profile: ${scenario.id}: ${run.completed} requests, ${run.cpuMicrosPerRequest.toFixed(0)} µs CPU/req\n`)
    }
    await target.stop()
  } finally {
    await database.stop()
  }
  const [file] = (await readdir(PROFILE_DIR)).filter(name => name.endsWith('.cpuprofile'))
  const summary = renderProfileSummary(JSON.parse(await readFile(join(PROFILE_DIR, file), 'utf8')) as CpuProfile)
  await writeFile(join(PROFILE_DIR, 'profile.md'), summary)
  process.stdout.write(summary)
}

await main()
