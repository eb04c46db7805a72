import t from 'tap'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { buildApp } from '../../example/app.js'
import { openApiDocument, writeOpenApiDocument } from '../../example/openapi.js'
import { projectPath } from '../../tools/project-path.js'
import { pluginRoutes } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'
import { temporaryDir } from '../helpers/temporary-dir.js'

const { db } = await testDatabase(t, import.meta.filename)

interface Operation {
  parameters?: Array<{ in: string, name: string, required?: boolean }>
  requestBody?: unknown
  responses: Record<string, unknown>
}
interface OpenApi {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}

const document = await openApiDocument() as OpenApi

t.test('the document is valid OpenAPI 3.1', async t => {
  const validator = new Validator()
  const result = await validator.validate(document as never)
  t.same(result.errors, undefined)
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')
})

t.test('every route, parameter and status code is in the document', async t => {
  const routes = await pluginRoutes(db)
  t.equal(routes.length, 20)
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    const method = String(route.method).toLowerCase()
    const operation = document.paths[path]?.[method]
    t.ok(operation, `${method} ${path}`)
    if (operation === undefined) continue
    const schema = route.schema as { params?: { properties: object }, querystring?: { properties: object, required?: string[] }, body?: unknown, response: object }
    const parameters = (operation.parameters ?? []).map(p => `${p.in}:${p.name}`).sort()
    const expected = [
      ...Object.keys(schema.params?.properties ?? {}).map(name => `path:${name}`),
      ...Object.keys(schema.querystring?.properties ?? {}).map(name => `query:${name}`)
    ].sort()
    t.same(parameters, expected, `${method} ${path} parameters`)
    t.equal(operation.requestBody !== undefined, schema.body !== undefined, `${method} ${path} body`)
    t.same(Object.keys(operation.responses).sort(), Object.keys(schema.response).sort(), `${method} ${path} statuses`)
  }
})

t.test('shared schemas keep their names', async t => {
  t.same(Object.keys(document.components.schemas).sort(), [
    'LivechatAgentVisitor', 'LivechatAutocompleteItem', 'LivechatCustomField', 'LivechatCustomFieldDefinition', 'LivechatCustomFieldDefinitionInput',
    'LivechatExportedPage', 'LivechatExportedRoom', 'LivechatExportedVisitor', 'LivechatHistoryRoom', 'LivechatNavigationEntry', 'LivechatPageInfo', 'LivechatRecordedPage',
    'LivechatRoomSummary', 'LivechatSearchedVisitor', 'LivechatSetCustomField', 'LivechatVisitor', 'LivechatVisitorInput'
  ])
  t.notMatch(JSON.stringify(document), /def-\d/)
  t.same(document.paths['/api/v1/livechat/visitor/{token}'].get.responses['200'], {
    description: 'Default Response',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['visitor', 'success'],
          properties: { visitor: { $ref: '#/components/schemas/LivechatVisitor' }, success: { type: 'boolean', enum: [true] } }
        }
      }
    }
  })
})

t.test('npm run openapi writes the document; the committed docs/openapi.json is current', async t => {
  const dir = await temporaryDir(t, 'openapi')
  const file = await writeOpenApiDocument(join(dir, 'openapi.json'))
  t.same(JSON.parse(await readFile(file, 'utf8')), document)
  t.same(JSON.parse(await readFile(projectPath('docs', 'openapi.json'), 'utf8')), document, 'run npm run openapi after changing a route')
})

t.test('the example app serves the document and its browser', async t => {
  const app = await buildApp({ db })
  t.teardown(() => app.close())
  const json = await app.inject('/documentation/json')
  t.equal(json.statusCode, 200)
  t.same(Object.keys(json.json().paths), [...Object.keys(document.paths), '/health'], 'the API and the health check; not the demo files')
  const page = await app.inject('/documentation/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], 'text/html')
})
