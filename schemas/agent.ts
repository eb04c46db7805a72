import { Type, type Static } from '@sinclair/typebox'
import { AGENT_TAG, IsoDate, NAVIGATION_HISTORY_TYPE, RoomId, SafeText, Token, VisitorId } from './shared.js'
import { PublicVisitor } from './visitor.js'

// Answer schemas for documents Rocket.Chat wrote may not require what the plugin's own writes always have.
const UserReference = Type.Object({ _id: Type.Optional(Type.String()), username: Type.Optional(Type.String()) })
const StoredPageInfo = Type.Object({
  change: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  location: Type.Optional(Type.Object({ href: Type.Optional(Type.String()) }))
})

export const AgentVisitor = Type.Object({
  ...Type.Omit(PublicVisitor, ['token']).properties,
  userAgent: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  host: Type.Optional(Type.String())
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
  u: Type.Optional(UserReference),
  groupable: Type.Optional(Type.Boolean()),
  navigation: Type.Object({ page: Type.Optional(StoredPageInfo) }),
  _hidden: Type.Optional(Type.Boolean()),
  _updatedAt: Type.Optional(IsoDate)
}, { $id: 'LivechatNavigationEntry', description: 'A page the visitor saw, without its token' })
export type NavigationEntry = Static<typeof NavigationEntry>
export const NAVIGATION_ENTRY_FIELDS = Object.keys(NavigationEntry.properties).filter(field => field !== 'navigation')

/** Rocket.Chat's paging: `count` items (50 when not given, at most 100 answered) from `offset`. */
export const DEFAULT_PAGE_COUNT = 50
export const MAX_PAGE_COUNT = 100
const MAX_OFFSET = 2 ** 31 - 1

// Numbers with multipleOf 1 rather than integers: converting a query string to an integer would truncate "1.5".
export const PagingQuery = Type.Object({
  count: Type.Optional(Type.Number({
    minimum: 1, multipleOf: 1, description: `a positive integer (at most ${MAX_PAGE_COUNT} are answered; default ${DEFAULT_PAGE_COUNT})`
  })),
  offset: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_OFFSET, multipleOf: 1, description: `an integer from 0 to ${MAX_OFFSET} (default 0)` }))
})

/** What an agent's visitor search looks for: plain text, never a pattern. */
export const SearchTerm = SafeText(256, 1)

const PagingAnswer = {
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
  summary: 'The navigation history of a room, newest first (agents: view-l-room)',
  params: Type.Object({ roomId: RoomId }),
  querystring: PagingQuery,
  response: {
    200: Type.Object({ pages: Type.Array(NavigationEntry), ...PagingAnswer, success: Type.Literal(true) })
  }
}

export const searchVisitorsSchema = {
  tags: [AGENT_TAG],
  summary: 'Visitors whose name, username, email or phone starts with the term (agents: view-l-room)',
  querystring: Type.Object({
    term: SearchTerm,
    ...PagingQuery.properties
  }),
  response: {
    200: Type.Object({ visitors: Type.Array(SearchedVisitor), ...PagingAnswer, success: Type.Literal(true) })
  }
}
