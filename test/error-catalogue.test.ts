import t from 'tap'
import { readFile } from 'node:fs/promises'
import { errors } from '../lib/index.js'
import { ERROR_CATALOGUE, errorTypeOf, type CatalogueEntry } from '../lib/errors.js'
import { AGENT_TAG } from '../schemas/shared.js'
import { projectPath } from '../tools/project-path.js'
import { pluginRoutes } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'

// One catalogue of errors: the README's table says what it says, the constructors are its
// entries, and each route documents the statuses of the errors its kind of route can answer.
const { db } = await testDatabase(t, import.meta.filename)

interface TableRow { code: string, status: number, errorType: string, message: string }

/** The rows of the README's errors table: `| \`CODE\` | status | \`type\` or – | \`message\` | when |`. */
async function readmeErrorRows (): Promise<TableRow[]> {
  const readme = await readFile(projectPath('README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Errors\n'), readme.indexOf('\n## ', readme.indexOf('\n## Errors\n') + 1))
  const rows = section.matchAll(/^\| `(LIVECHAT_[A-Z_]+)` \| (\d+) \| (`[a-z-]+`|–) \| `([^`]*)` \|/gm)
  return Array.from(rows, ([, code, status, type, message]) => ({ code, status: Number(status), errorType: type.replaceAll('`', ''), message }))
}

function rowOf ({ code, statusCode, message, answeredBy }: CatalogueEntry): TableRow {
  return { code, status: statusCode, errorType: answeredBy === 'no route' ? '–' : errorTypeOf(code), message }
}

t.test('the README\'s errors table is the catalogue, in both directions', async t => {
  const rows = await readmeErrorRows()
  t.ok(rows.length > 20, `${rows.length} rows read`)
  t.same(rows, ERROR_CATALOGUE.map(rowOf))
})

t.test('every exported constructor is in the catalogue, with its code and status', async t => {
  const constructors = Object.entries(errors).filter(([name]) => /^[A-Z]\w*Error$/.test(name))
  t.equal(constructors.length, ERROR_CATALOGUE.length)
  for (const [name, Constructor] of constructors as Array<[string, new (...args: unknown[]) => { code: string, statusCode: number }]>) {
    const error = new Constructor('a', 'b', 'c')
    const entry = ERROR_CATALOGUE.find(candidate => candidate.code === error.code)
    t.equal(error.statusCode, entry?.statusCode, `${name} is ${error.code}, ${error.statusCode}`)
  }
  t.equal(new Set(ERROR_CATALOGUE.map(entry => entry.code)).size, ERROR_CATALOGUE.length, 'no code twice')
})

function statusesAnsweredBy (kinds: Array<CatalogueEntry['answeredBy']>): number[] {
  return [...new Set(ERROR_CATALOGUE.filter(entry => kinds.includes(entry.answeredBy)).map(entry => entry.statusCode))].sort()
}

t.test('each route documents the error statuses of its kind of route, and no other', async t => {
  const routes = await pluginRoutes(db)
  t.equal(routes.length, 20)
  for (const route of routes) {
    const { response, tags } = route.schema as { response: Record<string, unknown>, tags: string[] }
    const kinds: Array<CatalogueEntry['answeredBy']> = ['every route']
    if (route.method !== 'GET') kinds.push('POST and DELETE routes')
    if (tags.includes(AGENT_TAG)) kinds.push('agent routes')
    t.same(Object.keys(response).map(Number).sort(), [200, ...statusesAnsweredBy(kinds)].sort(), `${String(route.method)} ${route.url}`)
  }
  const getVisitor = routes.find(route => route.method === 'GET' && route.url === '/api/v1/livechat/visitor/:token')
  t.notOk(Object.keys((getVisitor?.schema as { response: object }).response).some(status => status === '413' || status === '415'),
    'a GET route documents no 413 or 415')
})
