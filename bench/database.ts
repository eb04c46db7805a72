import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MongoClient } from 'mongodb'
import { mongoClientOptions } from '../example/config.js'
import { startEmbeddedDb } from '../tools/embedded-db/launcher.js'
import { ensureFerretdbBinary, ferretdbSourceDir } from '../tools/embedded-db/binary.js'

export interface BenchDatabase {
  url: string
  client: MongoClient
  /** The server's name and version, for the report. */
  server: string
  stop (): Promise<void>
}

const BENCH_DIR = fileURLToPath(new URL('../../bench', import.meta.url))

/** The FerretDB version the embedded database is built from, as its go.mod requires it. */
function ferretdbVersion (): string {
  const goMod = readFileSync(join(ferretdbSourceDir(), 'go.mod'), 'utf8')
  return /github\.com\/FerretDB\/FerretDB (v\S+)/.exec(goMod)?.[1] ?? 'unknown version'
}

async function serverVersion (client: MongoClient): Promise<string> {
  const info = await client.db('admin').command({ buildInfo: 1 })
  return typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`
}

/**
 * MONGO_URL when set, else the embedded FerretDB. Its data folder,
 * bench/.data/<binary name>, is kept between runs so that the large read-only
 * dataset is seeded once per database build.
 */
export async function openBenchDatabase (mongoUrl = process.env.MONGO_URL): Promise<BenchDatabase> {
  const embedded = mongoUrl ? undefined : await startEmbeddedDb({ dataDir: join(BENCH_DIR, '.data', basename(await ensureFerretdbBinary())) })
  const url = mongoUrl || (embedded?.url as string)
  const client = new MongoClient(url, mongoClientOptions(mongoUrl))
  return {
    url,
    client,
    server: embedded === undefined ? await serverVersion(client) : `FerretDB ${ferretdbVersion()} (embedded, SQLite)`,
    async stop () {
      await client.close()
      await embedded?.stop()
    }
  }
}
