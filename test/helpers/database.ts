import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb'
import { mongoClientOptions } from '../../example/config.js'
import { startEmbeddedDb } from '../../tools/embedded-db/launcher.js'
import type { Teardown } from './teardown.js'

export interface TestDatabase {
  url: string
  /** The client options for this database (the embedded one takes a small pool). */
  clientOptions: MongoClientOptions
  client: MongoClient
  db: Db
}

/**
 * The real database for one test file: MONGO_URL when set, else an embedded
 * FerretDB of its own in a temporary folder. The database name is the test
 * file's, emptied first, so that files running in parallel never share data.
 */
export async function testDatabase (t: Teardown, testFile: string): Promise<TestDatabase> {
  const url = process.env.MONGO_URL || await embeddedUrl(t)
  const clientOptions = mongoClientOptions(process.env.MONGO_URL)
  // monitorCommands: tests watch which commands reach the server (see commandsDuring).
  const client = new MongoClient(url, { ...clientOptions, monitorCommands: true })
  t.teardown(() => client.close())
  const db = client.db(`livechat_test_${basename(testFile).replace(/\W/g, '_')}`)
  await db.dropDatabase()
  return { url, clientOptions, client, db }
}

/** The names of the commands the client sent to the server while `action` ran. */
export async function commandsDuring (client: MongoClient, action: () => Promise<unknown>): Promise<string[]> {
  const commands: string[] = []
  const record = (event: { commandName: string }) => { commands.push(event.commandName) }
  client.on('commandStarted', record)
  try {
    await action()
  } finally {
    client.off('commandStarted', record)
  }
  return commands
}

/** Every document of every collection, as one string: to compare a database before and after. */
export async function databaseContents (database: Db): Promise<string> {
  const collections = await database.listCollections().toArray()
  const contents = await Promise.all(collections.map(async ({ name }) => [name, await database.collection(name).find().sort({ _id: 1 }).toArray()]))
  return JSON.stringify(contents.sort())
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

/** Whether the server is FerretDB (its buildInfo names its own version beside MongoDB's). */
export async function isFerretDB (database: Db): Promise<boolean> {
  return 'ferretdbVersion' in await database.admin().command({ buildInfo: 1 })
}

/** Another database on the same server as `database`, emptied: for a test that needs one of its own. */
export async function emptyDatabaseBeside (database: Db, suffix: string): Promise<Db> {
  const fresh = database.client.db(`${database.databaseName}_${suffix.replace(/\W/g, '_')}`)
  await fresh.dropDatabase()
  return fresh
}

/** The URL of another database on the same server: the path replaced, the options kept. */
export function databaseUrl (url: string, databaseName: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?/, `$1/${databaseName}`)
}
