/** An error as a log line may hold it: its kind and text, never the values of the documents it names. */
export interface LoggableError {
  type: string
  message: string
  code?: unknown
  stack?: string
}

// MongoDB names the refused key's value in a duplicate-key error ("dup key: { token: "..." }"),
// in its message and so in its stack: a token is a credential, and the other keys personal data.
const KEY_VALUES = /dup key: \{[^\n]*\}/g

export function withoutKeyValues (text: string): string {
  return text.replace(KEY_VALUES, 'dup key: { [redacted] }')
}

/**
 * The error without what could name a visitor: the key values in its message and stack are
 * redacted, and the driver's other fields (`keyValue`, `errInfo`, `errorResponse`, which repeat
 * the values or the refused document) are left out.
 */
export function loggableError (error: unknown): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error, message: withoutKeyValues(String(error)) }
  const { code } = error as { code?: unknown }
  return {
    type: error.name,
    message: withoutKeyValues(error.message),
    ...(code !== undefined && { code }),
    ...(error.stack !== undefined && { stack: withoutKeyValues(error.stack) })
  }
}
