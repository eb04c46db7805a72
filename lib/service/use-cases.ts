import type { AgentVisitor, NavigationEntry, PageSort, RoomSummary, SearchedVisitor, VisitorSort } from '../../schemas/agent.js'
import type { RoomId, Token, VisitorId, PlainText } from '../../schemas/checked.js'
import type { VisitorExport } from '../../schemas/export.js'
import type { PageVisitedBody, RecordedPage } from '../../schemas/page-visited.js'
import { CALL_ENDING_STATUSES, type CallStatusBody, type CustomFieldInput, type PublicVisitor, type VisitorInput, type VisitorStatus } from '../../schemas/visitor.js'
import { CustomFieldInvalidTokenError, InvalidMessageIdError, InvalidRoomError, InvalidTokenError, RoomNotFoundError } from '../errors.js'
import type { HistoryMonitorType } from '../options.js'
import type { HistoryStore } from '../store/history.js'
import type { MessageStore } from '../store/messages.js'
import type { SettingStore } from '../store/settings.js'
import type { Page, PageOf } from '../store/paging.js'
import type { ConnectionInfo, StoredVisitorId } from '../store/visitors.js'
import { is } from './argument-checks.js'
import { CUSTOM_FIELD_ROUTE_RULES, type CustomFieldResolver } from './custom-field-rules.js'
import { createChatHistoryUseCases, type ChatHistoryUseCases } from './chat-history.js'
import { createDefinitionUseCases, type DefinitionUseCases } from './custom-field-definitions.js'
import { completePendingErasures, eraseVisitor, type ErasureParts } from './erasure.js'
import type { ErasedVisitor } from './events.js'
import { withoutUserinfo } from './page-address.js'
import type { CustomFieldDefinitionStore } from '../store/custom-field-definitions.js'
import { withToken, type RegisteredVisitor, type VisitorRegistration } from './registration.js'

/** The plugin's use cases, on input that a schema has checked (a route's validator, or the service's own checks). */
export interface LivechatUseCases extends DefinitionUseCases, ChatHistoryUseCases {
  /** Registers a visitor, or updates the one with this token. */
  registerVisitor (visitor: VisitorInput, connection?: ConnectionInfo): Promise<RegisteredVisitor>
  /** The visitor's public fields, or null when no visitor has this token. */
  findVisitorByToken (token: Token): Promise<PublicVisitor | null>
  /** What is stored of the token's visitor, its navigation history and its rooms; `[invalid-token]` when nothing is. */
  exportVisitor (token: Token): Promise<VisitorExport>
  /**
   * Erases the visitor with this token; `[invalid-token]` when there is none (its history goes all the same),
   * `[visitor-has-open-rooms]` unless allowed, the erasure then pending.
   */
  eraseVisitor (token: Token): Promise<ErasedVisitor>
  /** Erases the visitors whose erasure is pending and whose rooms are all closed now; returns how many. */
  completePendingErasures (): Promise<number>
  /** Sets the status of the visitor and of its open rooms' `v`; returns the visitor. */
  setVisitorStatus (token: Token, status: VisitorStatus): Promise<PublicVisitor>
  /** Sets one custom field on the visitor or its open rooms, as its definition's scope says. */
  setCustomField (token: Token, field: CustomFieldInput): Promise<void>
  /** Sets several custom fields, at least one; each key must select a definition. */
  setCustomFields (token: Token, fields: CustomFieldInput[]): Promise<void>
  /** Records a page visit; null when its change is not the monitored type and nothing was stored. */
  recordPageVisit (visit: PageVisitedBody): Promise<RecordedPage | null>
  /** Sets the call status of the token's own livechat room; `ended` and `declined` also mark its call message. */
  setCallStatus (call: CallStatusBody): Promise<void>
  /** Gives the token's roomless history the room the host opened for it; returns how many entries moved. */
  attachHistoryToRoom (token: Token, rid: RoomId): Promise<number>
  /** The visitor's open rooms, as agents see them in a list. */
  findOpenRooms (token: Token): Promise<RoomSummary[]>
  /** A visitor that is not erased, by id, as agents see it (never its token); null when there is none. */
  findVisitorById (visitorId: VisitorId): Promise<AgentVisitor | null>
  /** A livechat room's navigation history, newest first unless `sort` says; `invalid-room` when there is no such room. */
  findPagesVisited (roomId: RoomId, sort: PageSort, page: Page): Promise<PageOf<NavigationEntry>>
  /**
   * Visitors whose name, username, email, phone or searchable custom field starts with the term
   * (plain text), every enabled one for an empty term; newest first unless `sort` says.
   */
  searchVisitors (term: PlainText, sort: VisitorSort, page: Page): Promise<PageOf<SearchedVisitor>>
}

/** What the use cases work with, as the composition root made it. */
export interface UseCaseParts extends ErasureParts {
  history: HistoryStore
  messages: MessageStore
  settings: SettingStore
  definitions: CustomFieldDefinitionStore
  customFields: CustomFieldResolver
  registration: VisitorRegistration
  /** The page change the navigation history records. */
  historyMonitorType: HistoryMonitorType
}

/** The visitor a write found, or the error for a token that has none. */
function orThrow (visitor: PublicVisitor | null, NoVisitorError: new () => Error): PublicVisitor {
  if (visitor === null) throw new NoVisitorError()
  return visitor
}

/** The use cases over the stores; each event fires after its write succeeded. */
export function createUseCases (parts: UseCaseParts): LivechatUseCases {
  const { visitors, rooms, history, messages, customFields, registration, events } = parts

  // The token first, as Rocket.Chat does: without one, the definitions, required fields and
  // regexps must not be probed.
  async function applyCustomFields (token: Token, fields: CustomFieldInput[]): Promise<void> {
    if (!await visitors.hasToken(token)) throw new CustomFieldInvalidTokenError()
    const values = await customFields.resolve(fields, CUSTOM_FIELD_ROUTE_RULES)
    // Erased meanwhile: the same answer.
    const visitor = orThrow(await visitors.update(token, { customFields: values.visitor }), CustomFieldInvalidTokenError)
    for (const [key, value] of values.room.fillMissing) await rooms.setLivechatData(token, key, value, false)
    for (const [key, value] of values.room.overwrite) await rooms.setLivechatData(token, key, value, true)
    events.emit('visitorUpdated', { visitor })
  }

  /** The visitor as the visitor may see it: the values of hidden custom fields are for agents only. */
  async function withoutHiddenFields<V extends { livechatData?: Record<string, unknown> }> (visitor: V): Promise<V> {
    if (visitor.livechatData === undefined) return visitor
    const hidden = await parts.definitions.hiddenNames()
    return { ...visitor, livechatData: Object.fromEntries(Object.entries(visitor.livechatData).filter(([key]) => !hidden.has(key))) }
  }

  return {
    ...createDefinitionUseCases(parts.definitions),
    ...createChatHistoryUseCases(parts),
    async registerVisitor (given, connection) {
      const input = withToken(given)
      const registered = await registration.register(input, connection)
      const { name } = registered.visitor
      if (name !== undefined && name.trim() !== '') await rooms.renameOpenRoomsOf(input.token, name)
      events.emit('visitorRegistered', registered)
      return { ...registered, visitor: await withoutHiddenFields(registered.visitor) }
    },
    async findVisitorByToken (token) {
      const visitor = await visitors.findByToken(token)
      return visitor === null ? null : withoutHiddenFields(visitor)
    },
    async exportVisitor (token) {
      const [visitor, navigationHistory] = await Promise.all([visitors.findExportByToken(token), history.allOfToken(token)])
      const visitorRooms = await rooms.exportOf(token, visitor === null ? undefined : visitor._id as StoredVisitorId)
      if (visitor === null && navigationHistory.length === 0 && visitorRooms.length === 0) throw new InvalidTokenError()
      return { visitor: visitor === null ? null : await withoutHiddenFields(visitor), navigationHistory, rooms: visitorRooms }
    },
    eraseVisitor: token => eraseVisitor(parts, token),
    completePendingErasures: () => completePendingErasures(parts),
    async setVisitorStatus (token, status) {
      const visitor = orThrow(await visitors.setStatus(token, status), InvalidTokenError)
      await rooms.setVisitorStatus(token, status)
      events.emit('visitorUpdated', { visitor })
      return visitor
    },
    setCustomField: (token, field) => applyCustomFields(token, [field]),
    setCustomFields: (token, fields) => applyCustomFields(token, fields),
    async recordPageVisit ({ token, rid, pageInfo }) {
      if (pageInfo.change !== parts.historyMonitorType) return null
      const room = rid ?? undefined
      if (room !== undefined && !await rooms.isVisitorRoom(room, token)) throw new InvalidRoomError()
      const unread = room !== undefined && await parts.settings.readReceiptsEnabled()
      const page = await history.insert({ token, rid: room, page: withoutUserinfo(pageInfo), unread })
      if (room !== undefined) await rooms.countMessage(room)
      events.emit('pageVisited', { token, ...(room !== undefined && { rid: room }), page })
      return page
    },
    // The token first, then its own room (Rocket.Chat takes any rid), then the call message before the
    // room, so that a refused call changes nothing.
    async setCallStatus ({ token, callStatus, rid, callId }) {
      const visitor = await visitors.findByToken(token)
      if (visitor === null) throw new InvalidTokenError()
      if (!await rooms.isVisitorRoom(rid, token)) throw new InvalidRoomError()
      if (CALL_ENDING_STATUSES.has(callStatus) && !await messages.endCall(rid, callId, callStatus, { _id: visitor._id, username: visitor.username })) {
        throw new InvalidMessageIdError()
      }
      await rooms.setCallStatus(rid, callStatus)
    },
    attachHistoryToRoom: (token, rid) => history.attachToRoom(token, rid),
    findOpenRooms: token => rooms.findOpenSummaries(token),
    findVisitorById: visitorId => visitors.findEnabledById(visitorId),
    async findPagesVisited (roomId, sort, page) {
      if (!await rooms.isLivechatRoom(roomId)) throw new RoomNotFoundError()
      return history.pagesOfRoom(roomId, sort, page)
    },
    async searchVisitors (term, sort, page) {
      // Rocket.Chat's findMatchingCustomFields('visitor', true): the searchable definitions' values are searched too.
      // Only a name the plugin would accept becomes a field path.
      const customFields = term === '' ? [] : (await parts.definitions.searchableVisitorFields()).filter(is.definitionName)
      return visitors.search(term, customFields, sort, page)
    }
  }
}
