import { Type, type Static } from '@sinclair/typebox'
import { PatternText, RoomId, SafeText, Token, VISITOR_TAG, wellFormedCharacter } from './shared.js'

const URL_CHARACTER = wellFormedCharacter('\\s')

export const PageInfo = Type.Object({
  change: SafeText(32),
  title: SafeText(512),
  location: Type.Object({
    // The scheme, then a host: the first character after "//" starts no path, query or fragment.
    href: PatternText(2048, `^[Hh][Tt][Tt][Pp][Ss]?://(?![/?#])${URL_CHARACTER}+$`, 'an absolute http: or https: URL of at most 2048 characters')
  })
}, { $id: 'LivechatPageInfo' })
export type PageInfo = Static<typeof PageInfo>

export const PageVisitedBody = Type.Object({
  token: Token,
  rid: Type.Optional(Type.Union([Type.Null(), RoomId], { description: 'null, or 1 to 64 characters of A-Z a-z 0-9 - _' })),
  pageInfo: PageInfo
})
export type PageVisitedBody = Static<typeof PageVisitedBody>

export const RecordedPage = Type.Object({
  msg: Type.String(),
  navigation: Type.Object({
    page: PageInfo,
    token: Type.String()
  })
}, { $id: 'LivechatRecordedPage', description: 'A page stored in the navigation history' })
export type RecordedPage = Static<typeof RecordedPage>

export const pageVisitedSchema = {
  tags: [VISITOR_TAG],
  summary: 'Record a page the visitor saw',
  body: PageVisitedBody,
  response: {
    200: Type.Union([
      Type.Object({ page: RecordedPage, success: Type.Literal(true) }),
      Type.Object({ success: Type.Literal(true) }, { description: 'The change is not the monitored type: nothing was stored' })
    ])
  }
}
