import type { FastifySchemaCompiler } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import { invalidParams } from '../service/argument-checks.js'

/** How a number is written in a path or query string: decimal digits, no sign but `-`, no leading zero. */
const DECIMAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/

const NUMERIC_TYPES = new Set(['number', 'integer'])

/** The top-level properties of a path or query schema that are numbers. */
function numericProperties (schema: TSchema): string[] {
  const properties = schema.properties as Record<string, TSchema>
  return Object.keys(properties).filter(name => NUMERIC_TYPES.has(properties[name].type))
}

/**
 * The path or query strings converted to the schema's types. A number is converted only when it is
 * written as decimal digits: TypeBox's conversion also reads `0x10`, `1e1` and ` 5` as numbers;
 * those stay strings here, and the check refuses them.
 */
function strictlyConverted (schema: TSchema, numeric: string[], input: unknown): unknown {
  // Value.Convert may convert the input in place: the strings are read first.
  const written = numeric.map(name => [name, (input as Record<string, unknown>)[name]] as const)
  const value = Value.Convert(schema, input) as Record<string, unknown>
  for (const [name, text] of written) {
    if (typeof text === 'string' && !DECIMAL_INTEGER.test(text)) value[name] = text
  }
  return value
}

/**
 * Validates with TypeBox's compiled checks. Bodies are never coerced (a number
 * or an array where a string belongs is an error, not a string); path and query
 * strings are converted to the schema's types, numbers only from decimal digits.
 * The first error becomes a LIVECHAT_INVALID_PARAMS error naming the field.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema)
  const numeric = httpPart === 'body' ? null : numericProperties(schema)
  return (input: unknown) => {
    const value = numeric === null ? input : strictlyConverted(schema, numeric, input)
    const error = invalidParams(check, value, String(httpPart))
    return error === null ? { value } : { error }
  }
}
