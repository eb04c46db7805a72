import type { FastifyBaseLogger } from 'fastify'
import type { Static, TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { PagingQuery } from '../schemas/agent.js'
import { SetCustomFieldsBody } from '../schemas/custom-fields.js'
import { PageVisitedBody } from '../schemas/page-visited.js'
import { Identifier, SafeText, Token } from '../schemas/shared.js'
import { CustomFieldInput, VisitorInput, VisitorStatus } from '../schemas/visitor.js'
import { collectionWithCallDeadline, withCallDeadline } from './call-deadline.js'
import { openCollections } from './collections.js'
import { LivechatEventEmitter, type LivechatEventName, type LivechatListener } from './events.js'
import { ensureIndexes, type HistoryExpiry } from './indexes.js'
import { createOperations, createStores, type LivechatOperations } from './operations.js'
import type { ResolvedOptions } from './options.js'
import { pageOf, type Page, type PageOf } from './paging.js'
import { assertValid } from './validation.js'

type Paged<F> = F extends (first: infer A, page: Page) => Promise<PageOf<infer T>>
  ? (first: A, page?: Partial<Page>) => Promise<PageOf<T>>
  : never

/**
 * The `livechat` decorator: the plugin's operations for a host that calls them
 * without HTTP. Each checks its arguments like the routes' schemas do and
 * throws the same LIVECHAT_* errors; finders answer null for a key that cannot exist.
 */
export interface LivechatService extends Omit<LivechatOperations, 'findPagesVisited' | 'searchVisitors'> {
  /** A livechat room's navigation history, newest first; `page` defaults to `{count: 50, offset: 0}`, count at most 100. */
  findPagesVisited: Paged<LivechatOperations['findPagesVisited']>
  /** Visitors whose name, username, email or phone starts with the term (plain text, not a pattern). */
  searchVisitors: Paged<LivechatOperations['searchVisitors']>
  /** Listens to an event; returns a function that stops listening. */
  on<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): () => void
  off<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): void
  /** Deletes expired navigation history now; returns how many entries went. */
  removeExpiredHistory (): Promise<number>
  /** How expired history goes: the server's TTL index, the plugin's timer, or (ensureIndexes: false) the host's care. */
  readonly historyExpiry: HistoryExpiry | 'host'
}

export interface ServiceHandle {
  service: LivechatService
  /** The same operations without the argument checks, for the routes whose schemas made them. */
  operations: LivechatOperations
  close (): void
}

function checker<T extends TSchema> (schema: T) {
  const check = TypeCompiler.Compile(schema)
  return (value: unknown, name: string): Static<T> => assertValid(check, value, name)
}

const check = {
  token: checker(Token),
  id: checker(Identifier),
  visitor: checker(VisitorInput),
  visit: checker(PageVisitedBody),
  status: checker(VisitorStatus),
  field: checker(CustomFieldInput),
  fields: checker(SetCustomFieldsBody.properties.customFields),
  term: checker(SafeText(256, 1)),
  page: checker(PagingQuery)
}
const isToken = TypeCompiler.Compile(Token)
const isId = TypeCompiler.Compile(Identifier)

function checkedPage (page: Partial<Page> = {}): Page {
  const { count, offset } = check.page(page, 'page')
  return pageOf(count, offset)
}

function checkedService (operations: LivechatOperations, events: LivechatEventEmitter): Omit<LivechatService, 'removeExpiredHistory' | 'historyExpiry'> {
  return {
    registerVisitor: async (visitor, connection) => operations.registerVisitor(check.visitor(visitor, 'visitor'), connection),
    findVisitorByToken: async token => isToken.Check(token) ? operations.findVisitorByToken(token) : null,
    eraseVisitor: async token => operations.eraseVisitor(check.token(token, 'token')),
    setVisitorStatus: async (token, status) => operations.setVisitorStatus(check.token(token, 'token'), check.status(status, 'status')),
    setCustomField: async (token, field) => operations.setCustomField(check.token(token, 'token'), check.field(field, 'field')),
    setCustomFields: async (token, fields) => operations.setCustomFields(check.token(token, 'token'), check.fields(fields, 'customFields')),
    recordPageVisit: async visit => operations.recordPageVisit(check.visit(visit, 'visit')),
    attachHistoryToRoom: async (token, rid) => operations.attachHistoryToRoom(check.token(token, 'token'), check.id(rid, 'rid')),
    findOpenRooms: async token => operations.findOpenRooms(check.token(token, 'token')),
    findVisitorById: async visitorId => isId.Check(visitorId) ? operations.findVisitorById(visitorId) : null,
    findPagesVisited: async (roomId, page) => operations.findPagesVisited(check.id(roomId, 'roomId'), checkedPage(page)),
    searchVisitors: async (term, page) => operations.searchVisitors(check.term(term, 'term'), checkedPage(page)),
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener)
  }
}

/** Opens the collections, ensures the indexes and starts the expiry timer where one is needed. */
export async function startService (options: ResolvedOptions, log: FastifyBaseLogger): Promise<ServiceHandle> {
  const unbounded = openCollections(options.db, options.collections)
  // Building an index on a large existing collection may rightly take minutes.
  const historyExpiry = options.ensureIndexes ? await ensureIndexes(unbounded, log) : 'host'
  const collections = withCallDeadline(unbounded, options.databaseTimeoutMs)
  // The expiry clean-up may take up to its own interval: without a TTL index, its delete scans the history.
  const expiredMessages = collectionWithCallDeadline(unbounded.messages, options.expiryCleanupIntervalMs)
  const stores = createStores(collections, expiredMessages, options, log)
  const events = new LivechatEventEmitter(log)
  const operations = createOperations(collections, stores, events, log)
  const service: LivechatService = {
    ...checkedService(operations, events),
    historyExpiry,
    removeExpiredHistory: () => stores.history.removeExpired()
  }

  const timer = historyExpiry === 'timer' ? setInterval(removeExpiredQuietly, options.expiryCleanupIntervalMs).unref() : undefined
  function removeExpiredQuietly () {
    stores.history.removeExpired().catch(error => log.warn({ err: error }, 'livechat: removing expired navigation history failed'))
  }
  return { service, operations, close: () => clearInterval(timer) }
}
