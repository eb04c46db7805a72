import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MongoClient } from 'mongodb'
import { MONGO_CLIENT_OPTIONS } from '../../example/config.js'
import { startEmbeddedDb, type EmbeddedDb } from '../../example/embedded-db.js'
import { restartablePort } from './ports.js'

interface Teardown { teardown (fn: () => unknown): void }

export interface RestartableDatabase {
  /** The same mongodb:// URL before and after a restart. */
  url: string
  /** A client made as the example app makes its own. */
  client: MongoClient
  stop (): Promise<void>
  /** Starts it again, on the same port and data. */
  start (): Promise<void>
}

/** An embedded database of the test's own, that the test stops and starts again under a running app. */
export async function restartableDatabase (t: Teardown): Promise<RestartableDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livechat-restartable-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const port = await restartablePort()
  let database: EmbeddedDb = await startEmbeddedDb({ dataDir, port })
  t.teardown(() => database.stop())
  const client = new MongoClient(database.url, MONGO_CLIENT_OPTIONS)
  t.teardown(() => client.close())
  return {
    url: database.url,
    client,
    stop: () => database.stop(),
    async start () {
      database = await startEmbeddedDb({ dataDir, port })
    }
  }
}
