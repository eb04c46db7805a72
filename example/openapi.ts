import { writeFile } from 'node:fs/promises'
import Fastify from 'fastify'
import { MongoClient } from 'mongodb'
import livechat from '../lib/index.js'
import { registerDocumentation } from './documentation.js'
import { projectPath } from '../tools/project-path.js'

/** The OpenAPI document of the plugin's routes, as the example app serves it; no database is contacted. */
export async function openApiDocument (): Promise<unknown> {
  const app = Fastify()
  // The driver connects on first use, and without ensureIndexes nothing uses it.
  const client = new MongoClient('mongodb://127.0.0.1:1/')
  try {
    await registerDocumentation(app)
    await app.register(livechat, { prefix: '/api/v1', db: client.db('openapi'), ensureIndexes: false })
    await app.ready()
    return app.swagger()
  } finally {
    await app.close()
    await client.close()
  }
}

/** npm run openapi [file]: writes the document, by default to docs/openapi.json. */
export async function writeOpenApiDocument (file = projectPath('docs', 'openapi.json')): Promise<string> {
  await writeFile(file, `${JSON.stringify(await openApiDocument(), null, 2)}\n`)
  return file
}
