import type {
  AgentVisitor, AutocompleteItem, AutocompleteSelector, ChatSearch, HistoryRoom, HistorySort, NavigationEntry, PageSort, RoomSummary, SearchedVisitor, VisitorSort
} from '../../schemas/agent.js'
import type { CustomFieldDefinition, CustomFieldDefinitionInput, DefinitionSort } from '../../schemas/custom-field-definitions.js'
import type { VisitorExport } from '../../schemas/export.js'
import type { Unchecked } from '../../schemas/checked.js'
import type { PageVisitedBody, RecordedPage } from '../../schemas/page-visited.js'
import type { CallStatusBody, CustomFieldInput, PublicVisitor, VisitorInput, VisitorStatus } from '../../schemas/visitor.js'
import type { Page, PageOf } from '../store/paging.js'
import type { ConnectionInfo } from '../store/visitors.js'
import { check, is } from './argument-checks.js'
import type { ErasedVisitor, LivechatEventEmitter, LivechatEventName, LivechatListener } from './events.js'
import { pageOf } from './paging.js'
import type { RegisteredVisitor } from './registration.js'
import type { LivechatUseCases } from './use-cases.js'

/** The arguments a host passes, as plain values: the service checks them. */
export type VisitorArgument = Unchecked<VisitorInput>
export type CustomFieldArgument = Unchecked<CustomFieldInput>
export type PageVisitArgument = Unchecked<PageVisitedBody>
export type PageInfoArgument = PageVisitArgument['pageInfo']
export type StoredPage = Unchecked<RecordedPage>
export type CallStatusArgument = Unchecked<CallStatusBody>
export type CustomFieldDefinitionArgument = Unchecked<CustomFieldDefinitionInput>
export type AutocompleteArgument = Unchecked<AutocompleteSelector>
export type ChatSearchArgument = Unchecked<ChatSearch>

/** What an agent's list asks for: a page, and a sort of one field. */
export interface ListArgument<Sort> extends Partial<Page> {
  sort?: Sort
}

/**
 * The `livechat` decorator: the plugin's use cases for a host that calls them without HTTP.
 * Each checks its arguments like the routes' schemas do and throws the same LIVECHAT_* errors;
 * finders answer null for a key that cannot exist.
 */
export interface LivechatService {
  /** Registers a visitor, or updates the one with this token; `connection` is stored on creation when `collectHttpHeaders` is on. */
  registerVisitor (visitor: VisitorArgument, connection?: ConnectionInfo): Promise<RegisteredVisitor>
  /** The visitor's public fields, or null. */
  findVisitorByToken (token: string): Promise<PublicVisitor | null>
  /** What is stored of the token's visitor (the values of hidden custom fields aside), its navigation history and its rooms. */
  exportVisitor (token: string): Promise<VisitorExport>
  /** Erases the visitor with this token: its rooms, messages and history go, its id stays. Without a visitor, its history goes and it rejects `[invalid-token]`. */
  eraseVisitor (token: string): Promise<ErasedVisitor>
  /** Sets the status of the visitor and of its open rooms and queued inquiries; returns the visitor after. */
  setVisitorStatus (token: string, status: VisitorStatus): Promise<PublicVisitor>
  /** Sets one custom field on the visitor or its open rooms, as its definition's scope says. */
  setCustomField (token: string, field: CustomFieldArgument): Promise<void>
  /** Sets several custom fields; every required definition must be among them. */
  setCustomFields (token: string, fields: CustomFieldArgument[]): Promise<void>
  /** Records a page visit; null when its change is not the monitored type and nothing was stored. */
  recordPageVisit (visit: PageVisitArgument): Promise<StoredPage | null>
  /** Gives the token's roomless navigation history the room `rid` the host opened for it; returns how many entries moved. */
  attachHistoryToRoom (token: string, rid: string): Promise<number>
  /** The visitor's open rooms, as the agent route answers them. */
  findOpenRooms (token: string): Promise<RoomSummary[]>
  /** A visitor that is not erased, as agents see it (never its token), or null. */
  findVisitorById (visitorId: string): Promise<AgentVisitor | null>
  /** A livechat room's navigation history, newest first unless `sort` says; 50 entries from 0 by default (count 0 too), at most 100. */
  findPagesVisited (roomId: string, list?: ListArgument<PageSort>): Promise<PageOf<NavigationEntry>>
  /**
   * Visitors whose name, username, email, phone or searchable custom field starts with the term
   * (plain text, not a pattern), every enabled one for `''`; newest first unless `sort` says.
   */
  searchVisitors (term: string, list?: ListArgument<VisitorSort>): Promise<PageOf<SearchedVisitor>>
  /** Sets the call status of the token's own livechat room; `ended` and `declined` also mark the room's call message `callId`. */
  setCallStatus (call: CallStatusArgument): Promise<void>
  /** The custom-field definitions whose name or label holds `text` (every one without), by label unless `sort` says. */
  listCustomFieldDefinitions (text?: string, list?: ListArgument<DefinitionSort>): Promise<PageOf<CustomFieldDefinition>>
  /** The custom-field definition of this name, or null. */
  findCustomFieldDefinition (name: string): Promise<CustomFieldDefinition | null>
  /** Creates a definition (`customFieldId` null) or updates the one of that name; the next request applies it. */
  saveCustomFieldDefinition (customFieldId: string | null, definition: CustomFieldDefinitionArgument): Promise<CustomFieldDefinition>
  /** Deletes the custom-field definition of this name. */
  deleteCustomFieldDefinition (name: string): Promise<void>
  /** Up to 10 enabled visitors whose name starts with `term` (plain text), by name, but those of `exceptions`. */
  autocompleteVisitors (selector: AutocompleteArgument): Promise<AutocompleteItem[]>
  /** The visitor's livechat rooms, newest first unless `sort` says; the room `roomId` must exist. */
  findChatHistory (roomId: string, visitorId: string, list?: ListArgument<HistorySort>): Promise<PageOf<HistoryRoom>>
  /** The visitor's rooms with a message holding `searchText` (letter case as written) and meeting the filters. */
  searchChats (roomId: string, visitorId: string, search?: ChatSearchArgument, list?: ListArgument<HistorySort>): Promise<PageOf<HistoryRoom>>
  /** Listens to an event; returns a function that stops listening. */
  on<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): () => void
  off<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): void
  /**
   * Erases now the visitors whose erasure was refused for an open room and whose rooms are all closed
   * (the periodic task does it every `expiryCleanupIntervalMs`); returns how many were erased.
   */
  completePendingErasures (): Promise<number>
  /** Deletes the expired roomless navigation history now (the periodic task does it every `expiryCleanupIntervalMs`); returns how many entries went. */
  removeExpiredHistory (): Promise<number>
}

function checkedPage (page: Partial<Page> = {}): Page {
  const { count, offset } = check.page(page, 'page')
  return pageOf(count, offset)
}

/** A list's sort and page, each checked. */
function checkedList<Sort> ({ sort, ...page }: ListArgument<unknown> = {}, checkSort: (sort: unknown, name: string) => Sort) {
  return { sort: checkSort(sort ?? {}, 'sort'), page: checkedPage(page) }
}

/** The service over the use cases: every argument checked first, with the name the host knows it by. */
export function checkedService (
  useCases: LivechatUseCases,
  events: LivechatEventEmitter,
  removeExpiredHistory: () => Promise<number>
): LivechatService {
  return {
    registerVisitor: async (visitor, connection) => useCases.registerVisitor(check.visitor(visitor, 'visitor'), connection),
    findVisitorByToken: async token => is.token(token) ? useCases.findVisitorByToken(token) : null,
    exportVisitor: async token => useCases.exportVisitor(check.token(token, 'token')),
    eraseVisitor: async token => useCases.eraseVisitor(check.token(token, 'token')),
    setVisitorStatus: async (token, status) => useCases.setVisitorStatus(check.token(token, 'token'), check.status(status, 'status')),
    setCustomField: async (token, field) => useCases.setCustomField(check.token(token, 'token'), check.field(field, 'field')),
    setCustomFields: async (token, fields) => useCases.setCustomFields(check.token(token, 'token'), check.fields(fields, 'customFields')),
    recordPageVisit: async visit => useCases.recordPageVisit(check.visit(visit, 'visit')),
    attachHistoryToRoom: async (token, rid) => useCases.attachHistoryToRoom(check.token(token, 'token'), check.roomId(rid, 'rid')),
    findOpenRooms: async token => useCases.findOpenRooms(check.token(token, 'token')),
    findVisitorById: async visitorId => is.visitorId(visitorId) ? useCases.findVisitorById(visitorId) : null,
    async findPagesVisited (roomId, list) {
      const { sort, page } = checkedList(list, check.pageSort)
      return useCases.findPagesVisited(check.roomId(roomId, 'roomId'), sort, page)
    },
    async searchVisitors (term, list) {
      const { sort, page } = checkedList(list, check.visitorSort)
      return useCases.searchVisitors(check.term(term, 'term'), sort, page)
    },
    setCallStatus: async call => useCases.setCallStatus(check.call(call, 'call')),
    async listCustomFieldDefinitions (text, list) {
      const { sort, page } = checkedList(list, check.definitionSort)
      return useCases.listCustomFieldDefinitions(text === undefined ? undefined : check.definitionText(text, 'text'), sort, page)
    },
    findCustomFieldDefinition: async name => is.definitionName(name) ? useCases.findCustomFieldDefinition(name) : null,
    saveCustomFieldDefinition: async (customFieldId, definition) => useCases.saveCustomFieldDefinition(
      customFieldId === null ? null : check.definitionName(customFieldId, 'customFieldId'), check.definition(definition, 'customFieldData')),
    deleteCustomFieldDefinition: async name => useCases.deleteCustomFieldDefinition(check.definitionName(name, 'customFieldId')),
    autocompleteVisitors: async selector => useCases.autocompleteVisitors(check.selector(selector, 'selector')),
    async findChatHistory (roomId, visitorId, list) {
      const { sort, page } = checkedList(list, check.historySort)
      return useCases.findChatHistory(check.roomId(roomId, 'roomId'), check.visitorId(visitorId, 'visitorId'), sort, page)
    },
    async searchChats (roomId, visitorId, search = {}, list) {
      const { sort, page } = checkedList(list, check.historySort)
      return useCases.searchChats(check.roomId(roomId, 'roomId'), check.visitorId(visitorId, 'visitorId'), check.chatSearch(search, 'search'), sort, page)
    },
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener),
    completePendingErasures: () => useCases.completePendingErasures(),
    removeExpiredHistory
  }
}
