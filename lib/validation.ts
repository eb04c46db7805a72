import type { FastifySchemaCompiler } from 'fastify'
import type { Static, TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import { InvalidParamsError } from './errors.js'

/** "visitor.customFields.0.key", or the request part itself for the root. */
function fieldName (path: string, httpPart: string): string {
  return path === '' ? httpPart : path.slice(1).replaceAll('/', '.')
}

function describeValueError (error: ValueError, httpPart: string): string {
  const field = fieldName(error.path, httpPart)
  const description = error.schema.description
  return description === undefined ? `${field}: ${error.message}` : `${field} must be ${description}`
}

/**
 * Validates with TypeBox's compiled checks. Bodies are never coerced (a number
 * or an array where a string belongs is an error, not a string); path and query
 * strings are converted to the schema's types. The first error becomes a
 * LIVECHAT_INVALID_PARAMS error naming the field.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema)
  const convert = httpPart !== 'body'
  return (input: unknown) => {
    const value = convert ? Value.Convert(schema, input) : input
    const error = invalidParams(check, value, String(httpPart))
    return error === null ? { value } : { error }
  }
}

/** A LIVECHAT_INVALID_PARAMS error naming the first field that fails the check, or null when all pass. */
function invalidParams (check: TypeCheck<TSchema>, value: unknown, name: string): Error | null {
  if (check.Check(value)) return null
  return new InvalidParamsError(describeValueError(check.Errors(value).First() as ValueError, name))
}

/** The service's own check, for hosts that call it without going through a route. */
export function assertValid<T extends TSchema> (check: TypeCheck<T>, value: unknown, name: string): Static<T> {
  const error = invalidParams(check, value, name)
  if (error !== null) throw error
  return value as Static<T>
}
