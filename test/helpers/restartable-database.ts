import { MongoClient } from 'mongodb'
import { EMBEDDED_DB_CLIENT_OPTIONS } from '../../example/config.js'
import { startEmbeddedDb, type EmbeddedDb } from '../../tools/embedded-db/launcher.js'
import { restartablePort } from './ports.js'
import type { Teardown } from './teardown.js'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'
import { temporaryDir } from './temporary-dir.js'

export interface RestartableDatabase {
  /** The same mongodb:// URL before and after a restart. */
  url: string
  /** A client made as the example app makes its own. */
  client: MongoClient
  stop (): Promise<void>
  /** Starts it again, on the same port and data. */
  start (): Promise<void>
  /**
   * Whether a client of its own reads the plugin's visitors in that database within 10 s: what tells
   * a database fault from the app's. A ping is not enough: FerretDB answers it without touching its storage.
   */
  readableByNewClient (databaseName: string): Promise<boolean>
}

async function readableByNewClient (url: string, databaseName: string): Promise<boolean> {
  const fresh = new MongoClient(url, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 10_000 })
  try {
    await fresh.db(databaseName).collection(DEFAULT_COLLECTIONS.visitors).findOne({})
    return true
  } catch {
    return false
  } finally {
    await fresh.close()
  }
}

/** An embedded database of the test's own, that the test stops and starts again under a running app. */
export async function restartableDatabase (t: Teardown): Promise<RestartableDatabase> {
  const dataDir = await temporaryDir(t, 'restartable')
  const port = await restartablePort()
  let database: EmbeddedDb = await startEmbeddedDb({ dataDir, port })
  t.teardown(() => database.stop())
  const client = new MongoClient(database.url, EMBEDDED_DB_CLIENT_OPTIONS)
  t.teardown(() => client.close())
  return {
    url: database.url,
    client,
    stop: () => database.stop(),
    async start () {
      database = await startEmbeddedDb({ dataDir, port })
    },
    readableByNewClient: databaseName => readableByNewClient(database.url, databaseName)
  }
}
