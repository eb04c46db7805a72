import { Type, type Static, type TProperties } from '@sinclair/typebox'
import { AGENT_TAG, IsoDate, NAVIGATION_HISTORY_TYPE, RoomId, SafeText, SortOrder, SortParameter, Token, VisitorId } from './shared.js'
import { PublicVisitor } from './visitor.js'

// Answer schemas for documents Rocket.Chat wrote may not require what the plugin's own writes always have.
const UserReference = Type.Object({ _id: Type.Optional(Type.String()), username: Type.Optional(Type.String()) })
export const StoredPageInfo = Type.Object({
  change: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  location: Type.Optional(Type.Object({ href: Type.Optional(Type.String()) }))
})

/** The request headers a visitor's document may hold (`collectHttpHeaders`). */
export const STORED_CONNECTION = {
  userAgent: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  host: Type.Optional(Type.String())
}

export const AgentVisitor = Type.Object({
  ...Type.Omit(PublicVisitor, ['token']).properties,
  ...STORED_CONNECTION
}, { $id: 'LivechatAgentVisitor', description: 'A visitor as an agent sees it: never its token' })
export type AgentVisitor = Static<typeof AgentVisitor>
export const AGENT_VISITOR_FIELDS = Object.keys(AgentVisitor.properties)

export const SearchedVisitor = Type.Pick(PublicVisitor, ['_id', 'username', 'name', 'phone', 'visitorEmails', 'livechatData', 'lastChat'], {
  $id: 'LivechatSearchedVisitor',
  description: 'A visitor found by a search, with the fields Rocket.Chat answers there'
})
export type SearchedVisitor = Static<typeof SearchedVisitor>
export const SEARCHED_VISITOR_FIELDS = Object.keys(SearchedVisitor.properties)

export const RoomSummary = Type.Object({
  _id: Type.String(),
  name: Type.Optional(Type.String()),
  t: Type.String(),
  cl: Type.Optional(Type.Boolean()),
  u: Type.Optional(UserReference),
  usernames: Type.Optional(Type.Array(Type.String())),
  servedBy: Type.Optional(Type.Object({ ...UserReference.properties, ts: Type.Optional(IsoDate) }))
}, { $id: 'LivechatRoomSummary', description: 'An open livechat room of the visitor' })
export type RoomSummary = Static<typeof RoomSummary>
export const ROOM_SUMMARY_FIELDS = Object.keys(RoomSummary.properties)

export const NavigationEntry = Type.Object({
  _id: Type.String(),
  t: Type.Literal(NAVIGATION_HISTORY_TYPE),
  rid: Type.String(),
  ts: IsoDate,
  msg: Type.String(),
  u: Type.Optional(Type.Object({ ...UserReference.properties, name: Type.Optional(Type.String()) })),
  groupable: Type.Optional(Type.Boolean()),
  unread: Type.Optional(Type.Boolean()),
  navigation: Type.Object({ page: Type.Optional(StoredPageInfo) }),
  _hidden: Type.Optional(Type.Boolean()),
  _updatedAt: Type.Optional(IsoDate)
}, { $id: 'LivechatNavigationEntry', description: 'A page the visitor saw, without its token' })
export type NavigationEntry = Static<typeof NavigationEntry>
export const NAVIGATION_ENTRY_FIELDS = Object.keys(NavigationEntry.properties).filter(field => field !== 'navigation')

/** Rocket.Chat's paging: `count` items (50 when not given or 0, at most 100 answered) from `offset`. */
export const DEFAULT_PAGE_COUNT = 50
export const MAX_PAGE_COUNT = 100
const MAX_OFFSET = 2 ** 31 - 1

// Numbers with multipleOf 1 rather than integers: converting a query string to an integer would truncate "1.5".
export const PagingQuery = Type.Object({
  count: Type.Optional(Type.Number({
    minimum: 0, multipleOf: 1, description: `an integer from 0 (0 is the default, ${DEFAULT_PAGE_COUNT}; at most ${MAX_PAGE_COUNT} are answered)`
  })),
  offset: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_OFFSET, multipleOf: 1, description: `an integer from 0 to ${MAX_OFFSET} (default 0)` }))
})

/** A list's query string: its own parameters, Rocket.Chat's `sort` over `sortFields`, the paging; no other parameter. */
export function ListQuery<Properties extends TProperties = Record<never, never>> (sortFields: readonly string[], properties: Properties = {} as Properties) {
  return Type.Object({ ...properties, sort: Type.Optional(SortParameter(sortFields)), ...PagingQuery.properties }, { additionalProperties: false })
}

/** What an agent's visitor search looks for: plain text, never a pattern; empty finds every visitor. */
export const SearchTerm = SafeText(256)

/** What a visitor search sorts by: Rocket.Chat's default `ts` and its contact directory's columns. */
export const VISITOR_SORT_FIELDS = ['ts', 'lastChat.ts', 'name', 'username', 'phone', 'visitorEmails.address'] as const
export const VisitorSort = SortOrder(VISITOR_SORT_FIELDS)
export type VisitorSort = Static<typeof VisitorSort>

export const PAGE_SORT_FIELDS = ['ts'] as const
export const PageSort = SortOrder(PAGE_SORT_FIELDS)
export type PageSort = Static<typeof PageSort>

export const PagingAnswer = {
  count: Type.Integer({ description: 'How many items this answer holds' }),
  offset: Type.Integer(),
  total: Type.Integer({ description: 'How many items there are in all' })
}

export const visitorRoomsSchema = {
  tags: [AGENT_TAG],
  summary: 'The open rooms of a visitor (agents: view-livechat-manager)',
  params: Type.Object({ token: Token }),
  response: {
    200: Type.Object({ rooms: Type.Array(RoomSummary), success: Type.Literal(true) })
  }
}

export const visitorInfoSchema = {
  tags: [AGENT_TAG],
  summary: 'A visitor by its id (agents: view-l-room)',
  querystring: Type.Object({ visitorId: VisitorId }),
  response: {
    200: Type.Object({ visitor: AgentVisitor, success: Type.Literal(true) })
  }
}

export const pagesVisitedSchema = {
  tags: [AGENT_TAG],
  summary: 'The navigation history of a room, newest first unless `sort` says (agents: view-l-room)',
  params: Type.Object({ roomId: RoomId }),
  querystring: ListQuery(PAGE_SORT_FIELDS),
  response: {
    200: Type.Object({ pages: Type.Array(NavigationEntry), ...PagingAnswer, success: Type.Literal(true) })
  }
}

export const searchVisitorsSchema = {
  tags: [AGENT_TAG],
  summary: 'Visitors whose name, username, email, phone or searchable custom field starts with the term, every one for an empty term (agents: view-l-room)',
  querystring: ListQuery(VISITOR_SORT_FIELDS, { term: SearchTerm }),
  response: {
    200: Type.Object({ visitors: Type.Array(SearchedVisitor), ...PagingAnswer, success: Type.Literal(true) })
  }
}

/** Visitors an autocomplete answers at most, as Rocket.Chat. */
export const AUTOCOMPLETE_LIMIT = 10
/** Visitor ids an autocomplete may leave out. */
export const MAX_AUTOCOMPLETE_EXCEPTIONS = 100

export const AutocompleteSelector = Type.Object({
  term: SafeText(256),
  exceptions: Type.Optional(Type.Array(VisitorId, { maxItems: MAX_AUTOCOMPLETE_EXCEPTIONS })),
  conditions: Type.Optional(Type.Object({}, {
    additionalProperties: false,
    description: 'an empty object: a client\'s conditions never reach a filter'
  }))
}, { description: 'the JSON of {term, exceptions?, conditions?}' })
export type AutocompleteSelector = Static<typeof AutocompleteSelector>

/** The autocomplete's query once its `selector` is parsed, so that errors name `selector.term` and the like. */
export const ParsedAutocompleteQuery = Type.Object({ selector: AutocompleteSelector })

export const AutocompleteItem = Type.Object({
  _id: Type.String(),
  name: Type.Optional(Type.String()),
  username: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  custom_name: Type.Union([Type.String(), Type.Null()], { description: '"<username> - <name>", null without a username' })
}, { $id: 'LivechatAutocompleteItem' })
export type AutocompleteItem = Static<typeof AutocompleteItem>

export const autocompleteVisitorsSchema = {
  tags: [AGENT_TAG],
  summary: 'Up to 10 visitors whose name starts with the term, by name (agents: view-l-room)',
  querystring: Type.Object({ selector: SafeText(4096, 2) }, { additionalProperties: false }),
  response: {
    200: Type.Object({ items: Type.Array(AutocompleteItem), success: Type.Literal(true) })
  }
}

const VisitorOfRoom = Type.Object({
  _id: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  status: Type.Optional(Type.String())
}, { description: 'The room\'s visitor, without its token' })

export const HistoryRoom = Type.Object({
  _id: Type.String(),
  fname: Type.Optional(Type.String()),
  t: Type.Optional(Type.String()),
  ts: Type.Optional(IsoDate),
  open: Type.Optional(Type.Boolean()),
  closedAt: Type.Optional(IsoDate),
  closer: Type.Optional(Type.String()),
  closedBy: Type.Optional(UserReference),
  servedBy: Type.Optional(Type.Object({ ...UserReference.properties, ts: Type.Optional(IsoDate) })),
  v: Type.Optional(VisitorOfRoom),
  msgs: Type.Optional(Type.Number()),
  tags: Type.Optional(Type.Array(Type.String())),
  source: Type.Optional(Type.Object({ type: Type.Optional(Type.String()), alias: Type.Optional(Type.String()) })),
  departmentId: Type.Optional(Type.String()),
  closingMessage: Type.Optional(Type.Object({
    _id: Type.String(),
    msg: Type.Optional(Type.String()),
    ts: Type.Optional(IsoDate),
    u: Type.Optional(UserReference)
  }))
}, { $id: 'LivechatHistoryRoom', description: 'A livechat room of the visitor, as an agent\'s chat history lists it' })
export type HistoryRoom = Static<typeof HistoryRoom>
export const HISTORY_ROOM_FIELDS = Object.keys(HistoryRoom.properties).filter(field => field !== 'v' && field !== 'closingMessage')

export const HISTORY_SORT_FIELDS = ['ts', 'closedAt', 'fname'] as const
export const HistorySort = SortOrder(HISTORY_SORT_FIELDS)
export type HistorySort = Static<typeof HistorySort>

const RoomOfVisitorParams = Type.Object({ roomId: RoomId, visitorId: VisitorId })

export const chatHistorySchema = {
  tags: [AGENT_TAG],
  summary: 'The visitor\'s livechat rooms, newest first; the room must exist (agents: view-l-room)',
  params: RoomOfVisitorParams,
  querystring: ListQuery(HISTORY_SORT_FIELDS),
  response: {
    200: Type.Object({ history: Type.Array(HistoryRoom), ...PagingAnswer, success: Type.Literal(true) })
  }
}

const TrueOrFalse = Type.Union([Type.Literal('true'), Type.Literal('false')])

export const ChatSearch = Type.Object({
  searchText: Type.Optional(SafeText(256)),
  closedChatsOnly: Type.Optional(TrueOrFalse),
  servedChatsOnly: Type.Optional(TrueOrFalse),
  source: Type.Optional(SafeText(64))
})
export type ChatSearch = Static<typeof ChatSearch>

export const searchChatsSchema = {
  tags: [AGENT_TAG],
  summary: 'The visitor\'s livechat rooms with a message holding the text, newest first (agents: view-l-room)',
  params: RoomOfVisitorParams,
  // Rocket.Chat's schemas take no other parameter either: a bracketed key (`searchText[$ne]`) is refused, not ignored.
  querystring: ListQuery(HISTORY_SORT_FIELDS, ChatSearch.properties),
  response: {
    200: Type.Object({ history: Type.Array(HistoryRoom), ...PagingAnswer, success: Type.Literal(true) })
  }
}
