import t from 'tap'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { projectPath } from '../tools/project-path.js'

// The layers of lib/, read from the source: the HTTP layer over the service over the store,
// with the host helpers beside them and the schemas under all of them; the doctor, a command for
// hosts, over the store.

interface Module {
  /** The path from the project root, e.g. lib/store/visitors.ts. */
  path: string
  /** The modules of the project it imports, as paths from the project root. */
  imports: string[]
  /** The packages it imports, e.g. fastify, @fastify/error, node:crypto. */
  packages: string[]
}

const IMPORT = /^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm

async function sourceFiles (dir: string): Promise<string[]> {
  const entries = await readdir(projectPath(dir), { withFileTypes: true, recursive: true })
  return entries.filter(entry => entry.isFile() && entry.name.endsWith('.ts'))
    .map(entry => relative(projectPath(), join(entry.parentPath, entry.name)))
}

async function readModule (path: string): Promise<Module> {
  const source = await readFile(projectPath(path), 'utf8')
  const specifiers = [...source.matchAll(IMPORT)].map(match => match[1])
  return {
    path,
    imports: specifiers.filter(s => s.startsWith('.')).map(s => relative(projectPath(), resolve(projectPath(dirname(path)), s)).replace(/\.js$/, '.ts')),
    packages: specifiers.filter(s => !s.startsWith('.'))
  }
}

const modules = await Promise.all([...await sourceFiles('lib'), ...await sourceFiles('schemas')].map(readModule))
const byPath = new Map(modules.map(module => [module.path, module]))

/** One import cycle, as the chain of paths around it, or null. */
function findCycle (): string[] | null {
  const done = new Set<string>()
  const visiting: string[] = []
  function visit (path: string): string[] | null {
    if (visiting.includes(path)) return [...visiting.slice(visiting.indexOf(path)), path]
    if (done.has(path)) return null
    visiting.push(path)
    for (const imported of byPath.get(path)?.imports ?? []) {
      const cycle = visit(imported)
      if (cycle !== null) return cycle
    }
    visiting.pop()
    done.add(path)
    return null
  }
  for (const { path } of modules) {
    const cycle = visit(path)
    if (cycle !== null) return cycle
  }
  return null
}

function importsOf (folder: string) {
  return modules.filter(module => module.path.startsWith(folder))
}

t.test('the imports are read: every relative import names a module of the project', async t => {
  t.ok(modules.length > 30, `${modules.length} modules`)
  for (const module of modules) {
    for (const imported of module.imports) t.ok(byPath.has(imported), `${module.path} imports ${imported}`)
  }
})

t.test('no import cycle in lib/ and schemas/', async t => {
  t.same(findCycle(), null)
})

t.test('the store is MongoDB access only: it imports no framework, and nothing above it', async t => {
  for (const module of importsOf('lib/store/')) {
    t.same(module.packages.filter(name => name.includes('fastify')), [], `${module.path} imports no fastify package`)
    t.same(module.imports.filter(path => /^lib\/(?:http|service|host|doctor)\/|^lib\/(?:plugin|index|options)\.ts$/.test(path)), [], `${module.path} stays in its layer`)
  }
})

t.test('the service uses the store, never the HTTP layer or the host helpers', async t => {
  for (const module of importsOf('lib/service/')) {
    t.same(module.imports.filter(path => /^lib\/(?:http|host)\/|^lib\/(?:plugin|index)\.ts$/.test(path)), [], module.path)
  }
})

t.test('the HTTP layer is reached from the plugin and the host helpers only', async t => {
  for (const module of importsOf('lib/http/')) {
    t.same(module.imports.filter(path => /^lib\/host\/|^lib\/(?:plugin|index)\.ts$/.test(path)), [], module.path)
  }
})

t.test('the doctor is a tool over the store: it imports no layer above it, and nothing outside it imports it', async t => {
  for (const module of importsOf('lib/doctor/')) {
    t.same(module.imports.filter(path => /^lib\/(?:http|service|host)\/|^lib\/(?:plugin|index|options)\.ts$/.test(path)), [], module.path)
  }
  const outside = modules.filter(module => !module.path.startsWith('lib/doctor/'))
  t.same(outside.filter(module => module.imports.some(path => path.startsWith('lib/doctor/'))).map(module => module.path), [])
})

t.test('the schemas stand alone: they import nothing of lib/', async t => {
  for (const module of importsOf('schemas/')) t.same(module.imports.filter(path => path.startsWith('lib/')), [], module.path)
})

t.test('the cycle check finds a cycle when there is one', async t => {
  const [first, second] = modules
  const saved = [first.imports, second.imports]
  first.imports = [...first.imports, second.path]
  second.imports = [...second.imports, first.path]
  t.teardown(() => { [first.imports, second.imports] = saved })
  const cycle = findCycle() ?? []
  t.ok(cycle.length > 2 && cycle[0] === cycle[cycle.length - 1], `the chain closes on itself: ${cycle.join(' -> ')}`)
})
