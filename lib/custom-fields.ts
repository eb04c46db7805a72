import type { Collection, Document } from 'mongodb'
import type { FastifyBaseLogger } from 'fastify'
import type { CustomFieldInput } from '../schemas/visitor.js'
import { InvalidCustomFieldError, InvalidCustomFieldValueError, MissingRequiredCustomFieldsError } from './errors.js'
import { queryString } from './query-values.js'

export type CustomFieldScope = 'visitor' | 'room'

interface CustomFieldDefinition {
  _id: string
  scope: CustomFieldScope
  visibility?: string
  regexp?: string
  required?: boolean
}

/** The custom-field values of one request: those that replace, and those that only fill an empty value. */
export interface CustomFieldValues {
  overwrite: Map<string, string>
  fillEmpty: Map<string, string>
}

export type ScopedCustomFieldValues = Record<CustomFieldScope, CustomFieldValues>

/**
 * How a request's keys are judged. Registration sets visitor fields and ignores
 * other keys silently (Rocket.Chat's rule); the custom-field routes set both
 * scopes and reject a key that has no visible definition.
 */
export interface CustomFieldRules {
  scopes: CustomFieldScope[]
  undefinedKeys: 'ignore' | 'reject'
  checkRequired: boolean
}

export const REGISTRATION_RULES: CustomFieldRules = { scopes: ['visitor'], undefinedKeys: 'ignore', checkRequired: true }

function noValues (): CustomFieldValues {
  return { overwrite: new Map(), fillEmpty: new Map() }
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

function assertRequiredSent (defined: CustomFieldDefinition[], fields: CustomFieldInput[]): void {
  const sentKeys = new Set(fields.map(field => field.key))
  const missing = defined.filter(d => d.required === true && !sentKeys.has(d._id)).map(d => d._id)
  if (missing.length > 0) throw new MissingRequiredCustomFieldsError(missing.join(', '))
}

/**
 * Applies Rocket.Chat's rules for custom fields: only keys defined in the
 * rules' scopes and not hidden are kept, each value must match its definition's
 * regexp, and every required definition must be among the keys sent. The last
 * value sent for a key wins.
 */
export async function resolveCustomFields (
  definitions: Collection<Document>,
  fields: CustomFieldInput[] | undefined,
  rules: CustomFieldRules,
  log: FastifyBaseLogger
): Promise<ScopedCustomFieldValues> {
  const values: ScopedCustomFieldValues = { visitor: noValues(), room: noValues() }
  if (fields === undefined || fields.length === 0) return values
  const defined = await definitions
    .find<CustomFieldDefinition>({ scope: { $in: rules.scopes } }, { projection: { scope: 1, visibility: 1, regexp: 1, required: 1 } })
    .toArray()
  // A hidden definition cannot be set by a visitor, so it cannot be required of one either.
  const visible = defined.filter(d => d.visibility !== 'hidden')
  if (rules.checkRequired) assertRequiredSent(visible, fields)

  const applicable = new Map(visible.map(d => [d._id, d]))
  for (const field of fields) {
    const key = queryString(field.key, 'key')
    const value = queryString(field.value, 'value')
    const definition = applicable.get(key)
    if (definition === undefined) {
      if (rules.undefinedKeys === 'reject') throw new InvalidCustomFieldError()
      continue
    }
    const regexp = compileRegexp(definition, log)
    if (regexp !== null && !regexp.test(value)) throw new InvalidCustomFieldValueError()
    const scoped = values[definition.scope]
    scoped.overwrite.delete(key)
    scoped.fillEmpty.delete(key)
    scoped[field.overwrite === true ? 'overwrite' : 'fillEmpty'].set(key, value)
  }
  return values
}
