import { Type, type TOptional } from '@sinclair/typebox'
import { checked } from './checked.js'

/**
 * A pattern for one character that is none of: a C0/C1 control; a bidirectional mark, embedding,
 * override or isolate (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069); another invisible character
 * (zero-width spaces and joiners U+200B–U+200D, the line and paragraph separators U+2028/U+2029, the
 * byte-order mark U+FEFF, interlinear annotations U+FFF9–U+FFFB, tag characters U+E0000–U+E007F),
 * all of which can make text shown to an agent read otherwise than it is stored; a lone surrogate;
 * one of `alsoExcluded`. The pattern is read without the `u` flag, as TypeBox compiles it: a
 * character beyond U+FFFF is its pair of surrogates, and the tag characters are the pairs
 * U+DB40 U+DC00–U+DC7F.
 */
export function wellFormedCharacter (alsoExcluded = ''): string {
  const invisible = '\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2066-\\u2069\\uFEFF\\uFFF9-\\uFFFB'
  const excluded = `${alsoExcluded}\\u0000-\\u001F\\u007F-\\u009F${invisible}\\uD800-\\uDFFF`
  const pairOutsideTheTags = '[\\uD800-\\uDB3F\\uDB41-\\uDBFF][\\uDC00-\\uDFFF]|\\uDB40[\\uDC80-\\uDFFF]'
  return `(?:[^${excluded}]|${pairOutsideTheTags})`
}

const SAFE_CHARACTER = wellFormedCharacter()

export function SafeText (maxLength: number, minLength = 0) {
  return checked<'PlainText'>(Type.String({
    minLength,
    maxLength,
    pattern: `^${SAFE_CHARACTER}*$`,
    description: `text of ${minLength > 0 ? `${minLength} to ${maxLength}` : `at most ${maxLength}`} characters, without control, bidirectional or invisible formatting characters or lone surrogates`
  }))
}

/** A string of `pattern` (a regular expression's source), as checked text. */
export function PatternText (maxLength: number, pattern: string, description: string) {
  return checked<'PlainText'>(Type.String({ maxLength, pattern, description }))
}

/** Fastify's default `maxParamLength`: a longer token would not fit the `:token` routes. */
export const MAX_TOKEN_LENGTH = 100

/**
 * A visitor's token: what a path segment carries as it is (RFC 3986's unreserved characters, its
 * sub-delimiters, `:` and `@`), so that the widget's hex tokens and the ids, e-mail addresses and
 * UUIDs hosts pass to `setGuestToken` fit, but `%` (Fastify decodes it), `$` (no value that reads as
 * an operator or a field path) and `;` (some routers and proxies cut a path there); and not `.` or
 * `..` alone, which URL parsers resolve as dot segments.
 */
export const Token = checked<'Token'>(Type.String({
  minLength: 1,
  maxLength: MAX_TOKEN_LENGTH,
  pattern: `^(?!\\.\\.?$)[A-Za-z0-9\\-_.~!&'()*+,=:@]{1,${MAX_TOKEN_LENGTH}}$`,
  description: `1 to ${MAX_TOKEN_LENGTH} characters of A-Z a-z 0-9 - _ . ~ ! & ' ( ) * + , = : @, other than . and ..`
}))

const IDENTIFIER = {
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: '1 to 64 characters of A-Z a-z 0-9 - _'
}
export const RoomId = checked<'RoomId'>(Type.String(IDENTIFIER))
export const VisitorId = checked<'VisitorId'>(Type.String(IDENTIFIER))
export const MessageId = checked<'MessageId'>(Type.String(IDENTIFIER))

/**
 * A `sort` query parameter: Rocket.Chat's JSON of one field and its direction, `{"ts":-1}`, of one
 * of `fields`. Only these texts pass, so that the parsed value is always a known field and 1 or -1.
 */
export function SortParameter (fields: readonly string[]) {
  const names = fields.map(field => field.replace(/[.$]/g, '\\$&')).join('|')
  return PatternText(100, `^\\{\\s*"(?:${names})"\\s*:\\s*-?1\\s*\\}$`,
    `JSON of one field and its direction, {"<field>": 1 or -1}, the field one of ${fields.join(', ')}`)
}

/** A sort as the service takes it: at most one of `fields`, 1 (ascending) or -1 (descending). */
export function SortOrder<F extends string> (fields: readonly F[]) {
  const direction = Type.Union([Type.Literal(1), Type.Literal(-1)])
  const properties = Object.fromEntries(fields.map(field => [field, Type.Optional(direction)])) as Record<F, TOptional<typeof direction>>
  return Type.Object(properties, { additionalProperties: false, maxProperties: 1 })
}

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
