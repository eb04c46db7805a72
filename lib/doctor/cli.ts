#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { MongoClient } from 'mongodb'
import { DEFAULT_COLLECTIONS, openCollections } from '../store/collections.js'
import { diagnose, type Check, type Diagnosis } from './diagnosis.js'
import { repair } from './repair.js'

const USAGE = 'usage: pimentachat-livechat doctor [--url <mongodb url naming the database>] [--fix]; without --url, MONGO_URL'

// The database is the URL's path: mongodb://host:27017/rocketchat, also with several hosts or +srv.
const DATABASE_IN_URL = /^mongodb(?:\+srv)?:\/\/[^/]+\/[^?/]+/

// A server that cannot be reached is reported after 5 s, unless the URL says otherwise.
const SELECTION_TIMEOUT_IN_URL = /[?&]serverSelectionTimeoutMS=/i

interface Command { client: MongoClient, fix: boolean }

/** The command line as the doctor takes it, or the reason it does not. */
function parseCommand (args: string[], env: NodeJS.ProcessEnv): Command | string {
  let parsed
  try {
    parsed = parseArgs({ args, options: { url: { type: 'string' }, fix: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    return (error as Error).message
  }
  const { positionals, values } = parsed
  if (positionals.length !== 1 || positionals[0] !== 'doctor') return 'the only command is doctor'
  const url = values.url ?? env.MONGO_URL ?? ''
  if (!DATABASE_IN_URL.test(url)) return '--url (or MONGO_URL) must be a MongoDB URL that names the database'
  try {
    // The driver checks the URL's options here, before any connection.
    return { client: new MongoClient(url, SELECTION_TIMEOUT_IN_URL.test(url) ? {} : { serverSelectionTimeoutMS: 5000 }), fix: values.fix }
  } catch (error) {
    return `--url: ${(error as Error).message}`
  }
}

function printChecks (title: string, checks: Check[]): void {
  console.log(title)
  for (const { subject, problem, fix } of checks) {
    console.log(problem === undefined ? `  ok    ${subject}` : `  NEEDS ${subject}: ${problem}`)
    if (problem !== undefined && fix !== undefined) console.log(`        --fix: ${fix}`)
  }
}

function problemsOf (diagnosis: Diagnosis): number {
  return [...diagnosis.duplicates, ...diagnosis.indexes, ...diagnosis.history].filter(check => check.problem !== undefined).length
}

function printDiagnosis (diagnosis: Diagnosis): number {
  printChecks('Visitors that share a unique field', diagnosis.duplicates)
  printChecks('Indexes', diagnosis.indexes)
  printChecks('Navigation history and Rocket.Chat\'s TTL index on expireAt', diagnosis.history)
  const problems = problemsOf(diagnosis)
  console.log(problems === 0 ? 'Nothing to do.' : `${problems} thing(s) to do.`)
  return problems
}

async function examine (client: MongoClient, fix: boolean): Promise<number> {
  const db = client.db()
  const collections = openCollections(db, DEFAULT_COLLECTIONS)
  console.log(`Database ${db.databaseName}, Rocket.Chat's collection names${fix ? '' : ', read only'}.`)
  const diagnosis = await diagnose(db, collections)
  const problems = printDiagnosis(diagnosis)
  if (!fix || problems === 0) return problems === 0 ? 0 : 1
  console.log('Fixing')
  for (const line of await repair(collections, diagnosis)) console.log(`  done  ${line}`)
  console.log('After --fix')
  return printDiagnosis(await diagnose(db, collections)) === 0 ? 0 : 1
}

/** Exit codes: 0 nothing to do (any more), 1 something to do, 2 the command or the database failed. */
async function main (args: string[]): Promise<number> {
  const command = parseCommand(args, process.env)
  if (typeof command === 'string') {
    console.error(`${command}\n${USAGE}`)
    return 2
  }
  const { client, fix } = command
  let exitCode: number
  try {
    await client.connect()
    exitCode = await examine(client, fix)
  } catch (error) {
    console.error(`doctor failed: ${(error as Error).message}`)
    exitCode = 2
  }
  await client.close()
  return exitCode
}

process.exitCode = await main(process.argv.slice(2))
