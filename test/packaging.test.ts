import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { projectPath } from '../tools/project-path.js'
import { databaseUrl, testDatabase } from './helpers/database.js'
import { temporaryDir } from './helpers/temporary-dir.js'

// The package as npm publishes it: packed (prepack builds it), installed into a project of its
// own with its peers, type-checked as a TypeScript host written for NodeNext, and run.
const run = promisify(execFile)
const { url, client, db } = await testDatabase(t, import.meta.filename)
const hostDatabase = `${db.databaseName}_host`
await client.db(hostDatabase).dropDatabase()
const work = await temporaryDir(t, 'package')

async function installedVersion (name: string): Promise<string> {
  return (JSON.parse(await readFile(projectPath('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

const HOST = `import Fastify from 'fastify'
import { MongoClient } from 'mongodb'
import livechat, { RECOMMENDED_CLIENT_OPTIONS, type LivechatService, type PublicVisitor } from '@pimentachat/livechat'

const client = new MongoClient(process.env.MONGO_URL ?? '', { ...RECOMMENDED_CLIENT_OPTIONS })
const app = Fastify()
await app.register(livechat, { prefix: '/api/v1', db: client.db(process.env.DB_NAME) })
const service: LivechatService = app.livechat
const { visitor } = await service.registerVisitor({ token: 'packaged-1', name: 'Packaged' })
const answer = await app.inject({ method: 'GET', url: '/api/v1/livechat/visitor/packaged-1' })
const fetched: PublicVisitor = answer.json<{ visitor: PublicVisitor }>().visitor
console.log(JSON.stringify({ status: answer.statusCode, same: fetched._id === visitor._id, name: fetched.name }))
await app.close()
await client.close()
`

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], outDir: 'dist' },
  include: ['host.ts']
}

t.test('npm pack yields a package that installs, type-checks in a NodeNext host and runs', async t => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: projectPath(), maxBuffer: 16 * 1024 * 1024 })
  const [packed] = JSON.parse(stdout) as Array<{ filename: string, files: Array<{ path: string }> }>
  const files = packed.files.map(file => file.path)
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/lib/index.js', 'dist/lib/index.d.ts']) {
    t.ok(files.includes(file), `the package holds ${file}`)
  }
  t.same(files.filter(file => !/^(?:package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(?:lib|schemas)\/.+\.(?:js|d\.ts))$/.test(file)), [],
    'nothing else: no sources, tests, maps or build state')

  const tarball = join(work, packed.filename)
  const { stdout: verdict } = await run(projectPath('node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'])
  t.match(verdict, 'node16 (from ESM)', 'the types resolve for ESM consumers (@arethetypeswrong/cli)')

  const consumer = join(work, 'consumer')
  await mkdir(consumer)
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG))
  await writeFile(join(consumer, 'host.ts'), HOST)
  const peers = await Promise.all(['fastify', 'mongodb', '@types/node'].map(async name => `${name}@${await installedVersion(name)}`))
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...peers], { cwd: consumer, maxBuffer: 16 * 1024 * 1024 })

  await run(process.execPath, [projectPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer])
  const hosted = await run(process.execPath, [join(consumer, 'dist', 'host.js')], { env: { ...process.env, MONGO_URL: url, DB_NAME: hostDatabase } })
  t.same(JSON.parse(hosted.stdout), { status: 200, same: true, name: 'Packaged' })

  const doctor = await run('npx', ['--no-install', 'pimentachat-livechat', 'doctor', '--url', databaseUrl(url, hostDatabase)], { cwd: consumer })
  t.match(doctor.stdout, `Database ${hostDatabase}, Rocket.Chat's collection names, read only.`, 'the installed bin runs the doctor')
  t.match(doctor.stdout, /\nNothing to do\.\n$/, 'on the database the host started on')
})
