import { Type, type Static } from '@sinclair/typebox'
import { STORED_CONNECTION, StoredPageInfo } from './agent.js'
import { IsoDate, VISITOR_TAG } from './shared.js'
import { PublicVisitor, VisitorTokenParams } from './visitor.js'

export const ExportedVisitor = Type.Object({
  ...PublicVisitor.properties,
  ...STORED_CONNECTION,
  erasureRequestedAt: Type.Optional(Type.Unsafe<Date>({ ...IsoDate, description: 'When the visitor asked to be erased, while an open room makes the erasure wait' }))
}, { $id: 'LivechatExportedVisitor', description: 'The visitor as stored, without internal fields and the values of hidden custom fields' })
export type ExportedVisitor = Static<typeof ExportedVisitor>
export const EXPORTED_VISITOR_FIELDS = Object.keys(ExportedVisitor.properties)

export const ExportedPage = Type.Object({
  _id: Type.String(),
  ts: Type.Optional(IsoDate),
  rid: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  page: Type.Optional(StoredPageInfo)
}, { $id: 'LivechatExportedPage', description: 'A page of the navigation history, with its room when it has one' })
export type ExportedPage = Static<typeof ExportedPage>

export const ExportedRoom = Type.Object({
  _id: Type.String(),
  fname: Type.Optional(Type.String()),
  ts: Type.Optional(IsoDate),
  open: Type.Optional(Type.Boolean()),
  closedAt: Type.Optional(IsoDate)
}, { $id: 'LivechatExportedRoom', description: 'A livechat room of the visitor: its id, dates and state' })
export type ExportedRoom = Static<typeof ExportedRoom>
export const EXPORTED_ROOM_FIELDS = Object.keys(ExportedRoom.properties)

export const VisitorExport = Type.Object({
  visitor: Type.Union([ExportedVisitor, Type.Null()], { description: 'null for a token that never registered, or was erased' }),
  navigationHistory: Type.Array(ExportedPage, { description: 'Oldest first' }),
  rooms: Type.Array(ExportedRoom)
})
export type VisitorExport = Static<typeof VisitorExport>

export const exportVisitorSchema = {
  tags: [VISITOR_TAG],
  summary: 'Export what is stored of the token\'s visitor (right of access): the visitor, its navigation history, its rooms',
  params: VisitorTokenParams,
  response: {
    200: Type.Object({ ...VisitorExport.properties, success: Type.Literal(true) })
  }
}
