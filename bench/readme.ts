import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * npm run bench:readme: puts the latest results (bench/results/latest.md) into
 * the README between its bench markers, and the chart into docs/bench.svg.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const START = '<!-- bench:results -->'
const END = '<!-- /bench:results -->'

async function main (): Promise<void> {
  const results = await readFile(join(ROOT, 'bench', 'results', 'latest.md'), 'utf8')
  const readmePath = join(ROOT, 'README.md')
  const readme = await readFile(readmePath, 'utf8')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`)
  await writeFile(readmePath, `${readme.slice(0, start + START.length)}\n${results}${readme.slice(end)}`)
  await mkdir(join(ROOT, 'docs'), { recursive: true })
  await copyFile(join(ROOT, 'bench', 'results', 'latest.svg'), join(ROOT, 'docs', 'bench.svg'))
}

await main()
