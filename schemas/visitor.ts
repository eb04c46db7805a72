import { Type, type Static } from '@sinclair/typebox'
import { checked } from './checked.js'
import { IsoDate, MAX_CUSTOM_FIELDS, MAX_TOKEN_LENGTH, MessageId, PatternText, RoomId, SafeText, Token, VISITOR_TAG, wellFormedCharacter } from './shared.js'

/** A character outside ASCII that text may hold (see `wellFormedCharacter`), and no Unicode space. */
const NON_ASCII = wellFormedCharacter('\\u0000-\\u007F\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000')
const LOCAL_CHARACTER = `(?:[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]|${NON_ASCII})`
const LABEL_CHARACTER = `(?:[A-Za-z0-9]|${NON_ASCII})`
const LABEL = `${LABEL_CHARACTER}(?:(?:${LABEL_CHARACTER}|-){0,61}${LABEL_CHARACTER})?`
/** The HTML standard's valid e-mail address, with characters beyond ASCII as RFC 6531 allows them: `josé@exämple.com`. */
const EMAIL = `${LOCAL_CHARACTER}+@${LABEL}(?:\\.${LABEL})*`

/** Digits and their punctuation, then maybe an extension: a word of letters or `#`, and its digits (`ext. 12`, `ramal 12`, `x12`). */
const PHONE = '^[0-9 +\\-().]*(?:(?:[A-Za-z]{1,10}\\.?|#) *[0-9]{1,10})?$'

/**
 * A custom field as a client sends it. Any key of text is taken, as Rocket.Chat takes it: a key
 * only ever selects a definition, and a value is stored under the definition's name, never under
 * the key as sent.
 */
const customFieldProperties = {
  key: SafeText(64, 1),
  value: SafeText(1024)
}

/** At registration `overwrite` may be left out (false), as in Rocket.Chat. */
export const CustomFieldInput = Type.Object({
  ...customFieldProperties,
  overwrite: Type.Optional(Type.Boolean({ default: false }))
}, { $id: 'LivechatCustomField' })

/** custom.field(s) require `overwrite`, as Rocket.Chat's schemas do. */
export const SetCustomFieldInput = Type.Object({
  ...customFieldProperties,
  overwrite: Type.Boolean()
}, { $id: 'LivechatSetCustomField' })

/** A logged-in user the host vouches for: its id, and the HMAC-SHA256 of it under `identitySecret`, in hex. */
export const IdentityInput = Type.Object({
  userId: SafeText(256, 1),
  hash: PatternText(64, '^[0-9A-Fa-f]{64}$', '64 hexadecimal digits: HMAC-SHA256(identitySecret, userId)')
}, { additionalProperties: false, description: 'The host\'s proof that the visitor is its logged-in user userId' })
export type IdentityInput = Static<typeof IdentityInput>

/** An empty or blank token passes the schema: registration answers it with Rocket.Chat's own error. */
const BlankToken = checked<'BlankToken'>(Type.String({ maxLength: MAX_TOKEN_LENGTH, pattern: '^\\s*$' }))

/** The custom fields a registration or the service's setCustomFields takes at once. */
export const CustomFieldList = Type.Array(CustomFieldInput, { maxItems: MAX_CUSTOM_FIELDS })

export const VisitorInput = Type.Object({
  token: Type.Union([Token, BlankToken], { description: Token.description }),
  name: Type.Optional(SafeText(256)),
  email: Type.Optional(PatternText(254, `^(?:\\s*${EMAIL}\\s*)?$`,
    'an e-mail address of at most 254 characters, letters beyond ASCII allowed (or empty, meaning not sent)')),
  phone: Type.Optional(PatternText(40, PHONE,
    'at most 40 characters of digits, spaces and + - ( ) ., then maybe an extension: a word or #, and digits')),
  department: Type.Optional(SafeText(64)),
  username: Type.Optional(PatternText(64, '^[A-Za-z0-9\\-_.]*$', 'at most 64 characters of A-Z a-z 0-9 - _ .')),
  customFields: Type.Optional(CustomFieldList),
  identity: Type.Optional(IdentityInput)
}, { $id: 'LivechatVisitorInput' })
export type VisitorInput = Static<typeof VisitorInput>
export type CustomFieldInput = Static<typeof CustomFieldInput>

export const RegisterVisitorBody = Type.Object({ visitor: VisitorInput })
export type RegisterVisitorBody = Static<typeof RegisterVisitorBody>

export const VisitorTokenParams = Type.Object({ token: Token })
export type VisitorTokenParams = Static<typeof VisitorTokenParams>

export const PublicVisitor = Type.Object({
  _id: Type.String(),
  username: Type.Optional(Type.String()),
  _updatedAt: Type.Optional(IsoDate),
  token: Type.Optional(Type.String()),
  phone: Type.Optional(Type.Array(Type.Object({ phoneNumber: Type.String() }))),
  visitorEmails: Type.Optional(Type.Array(Type.Object({ address: Type.String() }))),
  name: Type.Optional(Type.String()),
  livechatData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  department: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  ts: Type.Optional(IsoDate),
  lastChat: Type.Optional(Type.Object({ _id: Type.String(), ts: Type.Optional(IsoDate) })),
  identity: Type.Optional(Type.Object({ userId: Type.String(), verifiedAt: IsoDate }, {
    description: 'Present when the visitor is verified: the host\'s user it is, and when that was last proven'
  }))
}, { $id: 'LivechatVisitor', description: 'A visitor, with its public fields only' })
export type PublicVisitor = Static<typeof PublicVisitor>

export const PUBLIC_VISITOR_FIELDS = Object.keys(PublicVisitor.properties) as Array<keyof PublicVisitor>

export const VisitorResponse = Type.Object({
  visitor: PublicVisitor,
  success: Type.Literal(true)
})

export const registerVisitorSchema = {
  tags: [VISITOR_TAG],
  summary: 'Register a new visitor, or update the one with this token',
  body: RegisterVisitorBody,
  response: { 200: VisitorResponse }
}

export const getVisitorSchema = {
  tags: [VISITOR_TAG],
  summary: 'Retrieve a visitor by its token',
  params: VisitorTokenParams,
  response: { 200: VisitorResponse }
}

export const eraseVisitorSchema = {
  tags: [VISITOR_TAG],
  summary: 'Erase a visitor (right to be forgotten): its rooms, messages and history go, its id stays',
  params: VisitorTokenParams,
  response: {
    200: Type.Object({
      visitor: Type.Object({ _id: Type.String(), ts: IsoDate }, { description: 'The erased visitor\'s id, and when it was erased' }),
      success: Type.Literal(true)
    })
  }
}

export const VisitorStatus = Type.Union(
  [Type.Literal('online'), Type.Literal('away'), Type.Literal('busy'), Type.Literal('offline')],
  { description: 'one of online, away, busy, offline' }
)
export type VisitorStatus = Static<typeof VisitorStatus>

export const VisitorStatusBody = Type.Object({ token: Token, status: VisitorStatus })

export const visitorStatusSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set the status the agents see on the visitor and its open rooms',
  body: VisitorStatusBody,
  response: {
    200: Type.Object({ token: Type.String(), status: Type.String(), success: Type.Literal(true) })
  }
}

export const CallStatusBody = Type.Object({
  token: Token,
  callStatus: SafeText(64, 1),
  rid: RoomId,
  callId: MessageId
})
export type CallStatusBody = Static<typeof CallStatusBody>

/** The call statuses that end the call: the room's call message is marked with them too. */
export const CALL_ENDING_STATUSES: ReadonlySet<string> = new Set(['ended', 'declined'])

export const callStatusSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set the call status of the visitor\'s own livechat room; "ended" and "declined" also mark its call message',
  body: CallStatusBody,
  response: {
    200: Type.Object({ token: Type.String(), callStatus: Type.String(), success: Type.Literal(true) })
  }
}
