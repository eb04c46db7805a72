import { Type } from '@sinclair/typebox'
import { checked } from './checked.js'

/**
 * A pattern for one character that is not a C0/C1 control, a bidirectional
 * embedding, override or isolate (they can make text shown to an agent read
 * otherwise than it is stored) nor one of `alsoExcluded`, with UTF-16 surrogates
 * only as valid pairs. It means the same with and without the regular expression `u` flag.
 */
export function wellFormedCharacter (alsoExcluded = ''): string {
  const excluded = `${alsoExcluded}\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF`
  return `(?:[^${excluded}]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])`
}

const SAFE_CHARACTER = wellFormedCharacter()

export function SafeText (maxLength: number, minLength = 0) {
  return checked<'PlainText'>(Type.String({
    minLength,
    maxLength,
    pattern: `^${SAFE_CHARACTER}*$`,
    description: `text of ${minLength > 0 ? `${minLength} to ${maxLength}` : `at most ${maxLength}`} characters, without control or bidirectional-override characters or lone surrogates`
  }))
}

/** A string of `pattern` (a regular expression's source), as checked text. */
export function PatternText (maxLength: number, pattern: string, description: string) {
  return checked<'PlainText'>(Type.String({ maxLength, pattern, description }))
}

export const Token = checked<'Token'>(Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9\\-_.~:+=]{1,64}$',
  description: '1 to 64 characters of A-Z a-z 0-9 - _ . ~ : + ='
}))

const IDENTIFIER = {
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: '1 to 64 characters of A-Z a-z 0-9 - _'
}
export const RoomId = checked<'RoomId'>(Type.String(IDENTIFIER))
export const VisitorId = checked<'VisitorId'>(Type.String(IDENTIFIER))

/** Custom fields one request may set; also Rocket.Chat's custom.fields. */
export const MAX_CUSTOM_FIELDS = 50

/** The `t` of a navigation history entry in the messages collection, as Rocket.Chat writes it. */
export const NAVIGATION_HISTORY_TYPE = 'livechat_navigation_history'

export const IsoDate = Type.Unsafe<Date>(Type.String({ format: 'date-time' }))

export const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  error: Type.String(),
  errorType: Type.String()
}, { description: 'The answer to every request that failed' })

/** The OpenAPI tags of the routes: those of the visitor's widget, and those of the host's agents. */
export const VISITOR_TAG = 'livechat visitor'
export const AGENT_TAG = 'livechat agent'
