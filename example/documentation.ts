import { readFileSync } from 'node:fs'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { projectPath } from '../tools/project-path.js'

const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }

/**
 * The OpenAPI 3.1 description of every route, built by @fastify/swagger from
 * the routes' schemas, served at /documentation/json and browsable at
 * /documentation. Registered before the plugin, so that it sees its routes.
 */
export async function registerDocumentation (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '@pimentachat/livechat',
        version,
        description: 'The livechat visitor API of pimentaCHAT/Rocket.Chat, as a Fastify plugin'
      }
    },
    // Called for the schemas that have an $id: they keep it as their name (LivechatVisitor...) rather than def-0, def-1.
    refResolver: { buildLocalReference: json => String(json.$id) }
  })
  await app.register(swaggerUi, { routePrefix: '/documentation' })
}
