import type { FastifyBaseLogger } from 'fastify'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { PageVisitedBody, type RecordedPage } from '../schemas/page-visited.js'
import { Token } from '../schemas/shared.js'
import { VisitorInput, type PublicVisitor } from '../schemas/visitor.js'
import { openCollections } from './collections.js'
import { ensureIndexes, type HistoryExpiry } from './indexes.js'
import { NavigationHistory } from './history.js'
import type { ResolvedOptions } from './options.js'
import { assertValid } from './validation.js'
import { VisitorStore, type ConnectionInfo, type RegisteredVisitor } from './visitors.js'

/** The plugin's operations, for a host that calls them without HTTP (the `livechat` decorator). */
export interface LivechatService {
  /** Registers a visitor, or updates the one with this token. Throws LIVECHAT_* errors for bad input. */
  registerVisitor (visitor: VisitorInput, connection?: ConnectionInfo): Promise<RegisteredVisitor>
  /** The visitor's public fields, or null when no visitor has this token (or the token is malformed). */
  findVisitorByToken (token: string): Promise<PublicVisitor | null>
  /** Records a page visit; null when its change is not the monitored type and nothing was stored. */
  recordPageVisit (visit: PageVisitedBody): Promise<RecordedPage | null>
  /** Deletes expired navigation history now; returns how many entries went. */
  removeExpiredHistory (): Promise<number>
  /** How expired history goes: the server's TTL index, the plugin's timer, or (ensureIndexes: false) the host's care. */
  readonly historyExpiry: HistoryExpiry | 'host'
}

const visitorCheck = TypeCompiler.Compile(VisitorInput)
const visitCheck = TypeCompiler.Compile(PageVisitedBody)
const tokenCheck = TypeCompiler.Compile(Token)

/** The same operations for input already checked against the schemas, as the routes' validator does. */
export type ValidatedOperations = Pick<LivechatService, 'registerVisitor' | 'findVisitorByToken' | 'recordPageVisit'>

export interface ServiceHandle {
  service: LivechatService
  operations: ValidatedOperations
  close (): void
}

/** Opens the collections, ensures the indexes and starts the expiry timer where one is needed. */
export async function startService (options: ResolvedOptions, log: FastifyBaseLogger): Promise<ServiceHandle> {
  const collections = openCollections(options.db, options.collections)
  const historyExpiry = options.ensureIndexes ? await ensureIndexes(collections, log) : 'host'
  const visitors = new VisitorStore(collections, options, log)
  const history = new NavigationHistory(collections, options)

  const operations: ValidatedOperations = {
    registerVisitor: (visitor, connection) => visitors.register(visitor, connection),
    findVisitorByToken: token => visitors.findByToken(token),
    recordPageVisit: visit => history.record(visit)
  }
  const service: LivechatService = {
    historyExpiry,
    async registerVisitor (visitor, connection) {
      return operations.registerVisitor(assertValid(visitorCheck, visitor, 'visitor'), connection)
    },
    async findVisitorByToken (token) {
      return tokenCheck.Check(token) ? operations.findVisitorByToken(token) : null
    },
    async recordPageVisit (visit) {
      return operations.recordPageVisit(assertValid(visitCheck, visit, 'visit'))
    },
    async removeExpiredHistory () {
      return history.removeExpired()
    }
  }

  const timer = historyExpiry === 'timer' ? setInterval(removeExpiredQuietly, options.expiryCleanupIntervalMs).unref() : undefined
  function removeExpiredQuietly () {
    history.removeExpired().catch(error => log.warn({ err: error }, 'livechat: removing expired navigation history failed'))
  }
  return { service, operations, close: () => clearInterval(timer) }
}
