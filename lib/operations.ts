import type { FastifyBaseLogger } from 'fastify'
import type { Collection, Document } from 'mongodb'
import type { AgentVisitor, NavigationEntry, RoomSummary, SearchedVisitor } from '../schemas/agent.js'
import type { PageVisitedBody, RecordedPage } from '../schemas/page-visited.js'
import type { CustomFieldInput, PublicVisitor, VisitorInput, VisitorStatus } from '../schemas/visitor.js'
import type { LivechatCollections } from './collections.js'
import { resolveCustomFields, type CustomFieldRules, type ScopedCustomFieldValues } from './custom-fields.js'
import { VisitorErasure, type ErasedVisitor } from './erasure.js'
import { InvalidTokenError } from './errors.js'
import type { LivechatEventEmitter } from './events.js'
import { NavigationHistory } from './history.js'
import type { ResolvedOptions } from './options.js'
import type { Page, PageOf } from './paging.js'
import { LivechatRooms } from './rooms.js'
import { VisitorStore, type ConnectionInfo, type RegisteredVisitor } from './visitors.js'

/** The plugin's operations on input that is already checked (the routes' schemas did it). */
export interface LivechatOperations {
  /** Registers a visitor, or updates the one with this token. */
  registerVisitor (visitor: VisitorInput, connection?: ConnectionInfo): Promise<RegisteredVisitor>
  /** The visitor's public fields, or null when no visitor has this token. */
  findVisitorByToken (token: string): Promise<PublicVisitor | null>
  /** Erases the visitor with this token; `[invalid-token]` when there is none, `[visitor-has-open-rooms]` unless allowed. */
  eraseVisitor (token: string): Promise<ErasedVisitor>
  /** Sets the status of the visitor and of its open rooms' `v`; returns the visitor. */
  setVisitorStatus (token: string, status: VisitorStatus): Promise<PublicVisitor>
  /** Sets one custom field on the visitor or its open rooms, as its definition's scope says. */
  setCustomField (token: string, field: CustomFieldInput): Promise<void>
  /** Sets several custom fields; every required definition must be among them. */
  setCustomFields (token: string, fields: CustomFieldInput[]): Promise<void>
  /** Records a page visit; null when its change is not the monitored type and nothing was stored. */
  recordPageVisit (visit: PageVisitedBody): Promise<RecordedPage | null>
  /** Gives the token's roomless history the room the host opened for it; returns how many entries moved. */
  attachHistoryToRoom (token: string, rid: string): Promise<number>
  /** The visitor's open rooms, as agents see them in a list. */
  findOpenRooms (token: string): Promise<RoomSummary[]>
  /** A visitor that is not erased, by id, as agents see it (never its token); null when there is none. */
  findVisitorById (visitorId: string): Promise<AgentVisitor | null>
  /** A livechat room's navigation history, newest first; `[invalid-room]` when there is no such room. */
  findPagesVisited (roomId: string, page: Page): Promise<PageOf<NavigationEntry>>
  /** Visitors whose name, username, email or phone starts with the term (the term is plain text). */
  searchVisitors (term: string, page: Page): Promise<PageOf<SearchedVisitor>>
}

const SINGLE_FIELD_RULES: CustomFieldRules = { scopes: ['visitor', 'room'], undefinedKeys: 'reject', checkRequired: false }
const FIELD_LIST_RULES: CustomFieldRules = { ...SINGLE_FIELD_RULES, checkRequired: true }

/** The data layer behind the operations, one store per concern. */
export interface LivechatStores {
  visitors: VisitorStore
  rooms: LivechatRooms
  history: NavigationHistory
  erasure: VisitorErasure
}

/** `expiredMessages`: the messages collection for the expiry clean-up's deletes, with their own deadline. */
export function createStores (
  collections: LivechatCollections,
  expiredMessages: Collection<Document>,
  options: ResolvedOptions,
  log: FastifyBaseLogger
): LivechatStores {
  const rooms = new LivechatRooms(collections)
  return {
    visitors: new VisitorStore(collections, options, log),
    rooms,
    history: new NavigationHistory(collections, rooms, options, expiredMessages),
    erasure: new VisitorErasure(collections, rooms, options)
  }
}

/** The operations over the stores; each event fires after its write succeeded. */
export function createOperations (
  collections: LivechatCollections,
  { visitors, rooms, history, erasure }: LivechatStores,
  events: LivechatEventEmitter,
  log: FastifyBaseLogger
): LivechatOperations {
  async function applyCustomFields (token: string, fields: CustomFieldInput[], rules: CustomFieldRules): Promise<void> {
    const values: ScopedCustomFieldValues = await resolveCustomFields(collections.customFields, fields, rules, log)
    const visitor = await visitors.setLivechatData(token, values.visitor)
    if (visitor === null) throw new InvalidTokenError()
    for (const [key, value] of values.room.fillEmpty) await rooms.setLivechatData(token, key, value, false)
    for (const [key, value] of values.room.overwrite) await rooms.setLivechatData(token, key, value, true)
    events.emit('visitorUpdated', { visitor })
  }

  return {
    async registerVisitor (input, connection) {
      const registered = await visitors.register(input, connection)
      events.emit('visitorRegistered', registered)
      return registered
    },
    findVisitorByToken: token => visitors.findByToken(token),
    async eraseVisitor (token) {
      const erased = await erasure.erase(token)
      events.emit('visitorErased', erased)
      return erased
    },
    async setVisitorStatus (token, status) {
      const visitor = await visitors.setStatus(token, status)
      if (visitor === null) throw new InvalidTokenError()
      await rooms.setVisitorStatus(token, status)
      events.emit('visitorUpdated', { visitor })
      return visitor
    },
    setCustomField: (token, field) => applyCustomFields(token, [field], SINGLE_FIELD_RULES),
    setCustomFields: (token, fields) => applyCustomFields(token, fields, FIELD_LIST_RULES),
    async recordPageVisit (visit) {
      const page = await history.record(visit)
      if (page !== null) events.emit('pageVisited', { token: visit.token, ...(visit.rid != null && { rid: visit.rid }), page })
      return page
    },
    attachHistoryToRoom: (token, rid) => history.attachToRoom(token, rid),
    findOpenRooms: token => rooms.findOpenSummaries(token),
    findVisitorById: visitorId => visitors.findEnabledById(visitorId),
    async findPagesVisited (roomId, page) {
      await rooms.assertLivechatRoom(roomId)
      return history.pagesOfRoom(roomId, page)
    },
    searchVisitors: (term, page) => visitors.search(term, page)
  }
}
