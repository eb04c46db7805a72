import type { Collection, Document } from 'mongodb'
import type { FastifyBaseLogger } from 'fastify'
import type { CustomFieldInput } from '../schemas/visitor.js'
import { InvalidCustomFieldValueError, MissingRequiredCustomFieldsError } from './errors.js'

interface CustomFieldDefinition {
  _id: string
  visibility?: string
  regexp?: string
  required?: boolean
}

/** The custom-field values of one request: those that replace, and those that only fill an empty value. */
export interface CustomFieldValues {
  overwrite: Map<string, string>
  fillEmpty: Map<string, string>
}

function compileRegexp (definition: CustomFieldDefinition, log: FastifyBaseLogger): RegExp | null {
  if (typeof definition.regexp !== 'string' || definition.regexp === '') return null
  try {
    return new RegExp(definition.regexp)
  } catch (error) {
    log.warn({ field: definition._id, err: error }, 'livechat: ignoring the invalid regexp of a custom field definition')
    return null
  }
}

/**
 * Applies Rocket.Chat's rules for visitor custom fields: only keys defined with
 * scope "visitor" and not hidden are kept, each value must match its definition's
 * regexp, and every required definition must be among the keys sent.
 */
export async function resolveCustomFields (
  definitions: Collection<Document>,
  fields: CustomFieldInput[] | undefined,
  log: FastifyBaseLogger
): Promise<CustomFieldValues> {
  const values: CustomFieldValues = { overwrite: new Map(), fillEmpty: new Map() }
  if (fields === undefined || fields.length === 0) return values
  const defined = await definitions
    .find<CustomFieldDefinition>({ scope: 'visitor' }, { projection: { visibility: 1, regexp: 1, required: 1 } })
    .toArray()
  const sentKeys = new Set(fields.map(field => field.key))
  const missing = defined.filter(d => d.required === true && !sentKeys.has(d._id)).map(d => d._id)
  if (missing.length > 0) throw new MissingRequiredCustomFieldsError(missing.join(', '))

  const applicable = new Map(defined.filter(d => d.visibility !== 'hidden').map(d => [d._id, d]))
  for (const { key, value, overwrite } of fields) {
    const definition = applicable.get(key)
    if (definition === undefined) continue
    const regexp = compileRegexp(definition, log)
    if (regexp !== null && !regexp.test(value)) throw new InvalidCustomFieldValueError()
    values.overwrite.delete(key)
    values.fillEmpty.delete(key)
    values[overwrite === true ? 'overwrite' : 'fillEmpty'].set(key, value)
  }
  return values
}
