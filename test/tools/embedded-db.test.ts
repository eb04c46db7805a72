import t from 'tap'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { MongoClient } from 'mongodb'
import { startEmbeddedDb } from '../../tools/embedded-db/launcher.js'
import { cliOptions } from '../../tools/embedded-db/cli-options.js'
import { ensureFerretdbBinary, ferretdbCacheDir, ferretdbSourceDir } from '../../tools/embedded-db/binary.js'
import { livechatApp } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'
import { eraseVisitor, post } from '../helpers/http.js'
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

/** Each file of the folder with its permission bits, and whether its bytes hold one of the strings. */
async function filesOf (dir: string, strings: string[]) {
  const files: Array<{ name: string, mode: string, holds: boolean }> = []
  for (const name of await readdir(dir)) {
    const bytes = await readFile(join(dir, name))
    files.push({ name, mode: ((await stat(join(dir, name))).mode & 0o777).toString(8), holds: strings.some(s => bytes.includes(s)) })
  }
  return files
}

t.test('the data folder is private, one that existed too, and an erased visitor does not stay in its files', async t => {
  const dataDir = join(await temporaryDir(t, 'embedded-db'), 'data')
  await mkdir(dataDir)
  await chmod(dataDir, 0o755)
  await writeFile(join(dataDir, 'notes.txt'), 'left by someone', { mode: 0o644 })
  const database = await startEmbeddedDb({ dataDir })
  t.teardown(() => database.stop())
  const client = new MongoClient(database.url)
  t.teardown(() => client.close())
  const app = await livechatApp(t, client.db('linger'))
  const personal = ['Zoe Lingering', 'zoe.lingering@example.com', 'lingering-token-1']
  t.equal((await post(app, 'visitor', { visitor: { token: personal[2], name: personal[0], email: personal[1] } })).statusCode, 200)
  for (const page of ['a', 'b', 'c']) {
    const pageInfo = { change: 'url', title: `Page of ${personal[0]}`, location: { href: `https://shop.example/${page}` } }
    t.equal((await post(app, 'page.visited', { token: personal[2], pageInfo })).statusCode, 200)
  }
  t.ok((await filesOf(dataDir, personal)).some(file => file.holds), 'the files hold the visitor before the erase')
  t.equal((await eraseVisitor(app, personal[2])).statusCode, 200)

  t.equal(((await stat(dataDir)).mode & 0o777).toString(8), '700', 'the folder is its owner\'s only')
  const running = await filesOf(dataDir, [])
  t.ok(running.length >= 2, 'the database files and the file found there')
  t.same(running.filter(file => file.mode !== '600'), [], 'each file is its owner\'s only, the one that was there too')
  await client.close()
  await database.stop()
  t.same((await filesOf(dataDir, personal)).filter(file => file.holds), [], 'after a stop no file holds any of it')
})
