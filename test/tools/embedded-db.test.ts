import t from 'tap'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MongoClient } from 'mongodb'
import { startEmbeddedDb } from '../../tools/embedded-db/launcher.js'
import { cliOptions } from '../../tools/embedded-db/cli-options.js'
import { ensureFerretdbBinary, ferretdbCacheDir, ferretdbSourceDir } from '../../tools/embedded-db/binary.js'
import { testDatabase } from '../helpers/database.js'
import { startScript } from '../helpers/scripts.js'
import { temporaryDir } from '../helpers/temporary-dir.js'

// The embedded database: a tool of the tests, the benchmark and the example app.
const { url } = await testDatabase(t, import.meta.filename)

t.test('the embedded database reports a port it cannot take', async t => {
  const dataDir = await temporaryDir(t, 'embedded-db')
  const port = Number(new URL(url).port)
  if (process.env.MONGO_URL) {
    const first = await startEmbeddedDb({ dataDir })
    t.teardown(() => first.stop())
    await t.rejects(startEmbeddedDb({ dataDir, port: Number(new URL(first.url).port) }), /exited with code 1 before it was ready/)
  } else {
    await t.rejects(startEmbeddedDb({ dataDir, port }), /exited with code 1 before it was ready/)
  }
})

t.test('the database binary is built from the Go sources into a cache and reused', async t => {
  t.match(ferretdbCacheDir({ XDG_CACHE_HOME: '/cache' }), '/cache/pimentachat-livechat')
  t.match(ferretdbCacheDir({}), /\.cache\/pimentachat-livechat$/)
  t.ok(existsSync(join(ferretdbSourceDir(), 'main.go')))
  const cacheDir = await temporaryDir(t, 'embedded-db')
  const binary = await ensureFerretdbBinary(cacheDir)
  t.ok(binary.startsWith(cacheDir) && existsSync(binary))
  t.equal(await ensureFerretdbBinary(cacheDir), binary, 'the second call reuses it')
})

t.test('npm run db: the embedded database alone, printing its URL', async t => {
  const dataDir = await temporaryDir(t, 'embedded-db')
  const database = startScript('tools/embedded-db/cli.ts', { DATA_DIR: dataDir, DB_PORT: '0' })
  const line = await database.waitFor(/embedded database listening/)
  const dbUrl = line.replace('embedded database listening: ', '')
  const client = new MongoClient(dbUrl)
  t.teardown(() => client.close())
  t.match(await client.db('x').command({ ping: 1 }), { ok: 1 })
  database.kill('SIGTERM')
  t.equal((await database.exit)[0], 0)
})

t.test('npm run db takes its folder and port from DATA_DIR and DB_PORT', async t => {
  t.same(cliOptions({}), { dataDir: resolve('.data'), port: 27017 })
  t.same(cliOptions({ DATA_DIR: '/tmp/x', DB_PORT: '27018' }), { dataDir: '/tmp/x', port: 27018 })
  for (const port of ['70000', 'http', '1.5']) {
    t.throws(() => cliOptions({ DB_PORT: port }), { name: 'TypeError', message: `DB_PORT must be a port number, got ${port}` })
  }
})
