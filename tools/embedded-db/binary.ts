import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { projectPath } from '../project-path.js'

const run = promisify(execFile)
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go']

export function ferretdbSourceDir (): string {
  return projectPath('tools', 'embedded-db', 'ferretdb')
}

/** The per-user cache the binary is built into, outside the work tree. */
export function ferretdbCacheDir (env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pimentachat-livechat')
}

/**
 * The embedded database's binary: built with Go on first use into the cache,
 * named after a hash of its sources so that a change rebuilds it, reused after.
 */
export async function ensureFerretdbBinary (cacheDir = ferretdbCacheDir()): Promise<string> {
  const source = ferretdbSourceDir()
  const hash = createHash('sha256')
  for (const file of SOURCE_FILES) hash.update(await readFile(join(source, file)))
  const binary = join(cacheDir, `ferretdb-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(binary)) return binary

  await mkdir(cacheDir, { recursive: true })
  const partial = `${binary}.${process.pid}.partial`
  await run('go', ['build', '-trimpath', '-o', partial, '.'], { cwd: source, maxBuffer: 16 * 1024 * 1024 })
  await rename(partial, binary)
  return binary
}
