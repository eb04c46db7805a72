// Makes a fresh clone ready to run, doing only what is not done yet:
// installs the npm dependencies, compiles the TypeScript into dist/ and builds
// the embedded database (unless MONGO_URL names another one). No dependencies.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const installedLock = join(root, 'node_modules', '.package-lock.json')

function step (what) {
  process.stderr.write(`setup: ${what}\n`)
}

function run (command, args) {
  execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
}

if (!existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  step('installing dependencies (npm ci)')
  run('npm', ['ci', '--no-audit', '--no-fund'])
}

run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')])

if (!process.env.MONGO_URL) {
  const { ensureFerretdbBinary } = await import('../dist/tools/embedded-db/binary.js')
  const started = Date.now()
  const binary = await ensureFerretdbBinary()
  if (Date.now() - started > 1000) step(`built the embedded database: ${binary}`)
}
