import { Type, type TSchema } from '@sinclair/typebox'

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
  return Type.String({
    minLength,
    maxLength,
    pattern: `^${SAFE_CHARACTER}*$`,
    description: `text of ${minLength > 0 ? `${minLength} to ${maxLength}` : `at most ${maxLength}`} characters, without control or bidirectional-override characters or lone surrogates`
  })
}

export const TOKEN_PATTERN = '^[A-Za-z0-9\\-_.~:+=]{1,64}$'

export const Token = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: TOKEN_PATTERN,
  description: '1 to 64 characters of A-Z a-z 0-9 - _ . ~ : + ='
})

export const Identifier = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: '1 to 64 characters of A-Z a-z 0-9 - _'
})

export const IsoDate = Type.Unsafe<Date>(Type.String({ format: 'date-time' }))

export const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  error: Type.String(),
  errorType: Type.String()
}, { description: 'The answer to every request that failed' })

/** The OpenAPI tags of the routes: those of the visitor's widget, and those of the host's agents. */
export const VISITOR_TAG = 'livechat visitor'
export const AGENT_TAG = 'livechat agent'

/** The error answers every route can give, besides its own business errors. */
export function withErrorResponses<T extends Record<number, TSchema>> (success: T) {
  return {
    ...success,
    400: ErrorEnvelope,
    413: ErrorEnvelope,
    415: ErrorEnvelope,
    429: ErrorEnvelope,
    500: ErrorEnvelope,
    503: ErrorEnvelope
  }
}

/** An agent route's answers: those of every route, and 401/403 from the host's authorisation hook. */
export function withAgentErrorResponses<T extends Record<number, TSchema>> (success: T) {
  return { ...withErrorResponses(success), 401: ErrorEnvelope, 403: ErrorEnvelope }
}
