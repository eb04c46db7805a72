import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { MongoClient, type Db } from 'mongodb'
import { MONGO_CLIENT_OPTIONS } from '../../example/config.js'
import { startEmbeddedDb } from '../../example/embedded-db.js'

export interface TestDatabase {
  url: string
  client: MongoClient
  db: Db
}

interface Teardown { teardown (fn: () => unknown): void }

/**
 * The real database for one test file: MONGO_URL when set, else an embedded
 * FerretDB of its own in a temporary folder. The database name is the test
 * file's, emptied first, so that files running in parallel never share data.
 */
export async function testDatabase (t: Teardown, testFile: string): Promise<TestDatabase> {
  const url = process.env.MONGO_URL || await embeddedUrl(t)
  const client = new MongoClient(url, MONGO_CLIENT_OPTIONS)
  t.teardown(() => client.close())
  const db = client.db(`livechat_test_${basename(testFile).replace(/\W/g, '_')}`)
  await db.dropDatabase()
  return { url, client, db }
}

async function embeddedUrl (t: Teardown): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livechat-test-'))
  const database = await startEmbeddedDb({ dataDir })
  t.teardown(async () => {
    await database.stop()
    await rm(dataDir, { recursive: true, force: true })
  })
  return database.url
}
