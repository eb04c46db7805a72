import { MongoClient } from 'mongodb'
import { livechatRequestSerializer } from '../lib/index.js'
import { buildApp } from './app.js'
import { mongoClientOptions, readConfig } from './config.js'
import { startEmbeddedDb, type EmbeddedDb } from '../tools/embedded-db/launcher.js'

/**
 * npm start: the example app on HOST:PORT, on MONGO_URL or on the embedded
 * database kept in .data/. SIGINT and SIGTERM close it cleanly.
 */
async function main (): Promise<void> {
  const config = readConfig(process.env)
  const embedded: EmbeddedDb | undefined = config.mongoUrl === undefined
    ? await startEmbeddedDb({ dataDir: config.dataDir })
    : undefined
  const client = new MongoClient(config.mongoUrl ?? (embedded as EmbeddedDb).url, mongoClientOptions(config.mongoUrl))
  const app = await buildApp({
    db: client.db(config.dbName),
    logger: { level: config.logLevel, serializers: { req: livechatRequestSerializer } },
    demoData: config.demoData,
    agentToken: config.agentToken,
    identitySecret: config.identitySecret,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy
  })
  if (embedded !== undefined) app.log.info({ url: embedded.url, dataDir: config.dataDir }, 'embedded database started')

  let closing = false
  async function shutdown (signal: NodeJS.Signals): Promise<void> {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'closing')
    await app.close()
    await client.close()
    await embedded?.stop()
    app.log.info('closed')
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)

  await app.listen({ host: config.host, port: config.port })
}

await main()
