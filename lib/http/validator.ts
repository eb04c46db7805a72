import type { FastifySchemaCompiler } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import { invalidParams } from '../service/argument-checks.js'

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
