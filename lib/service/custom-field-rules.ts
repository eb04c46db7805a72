import type { FastifyBaseLogger } from 'fastify'
import type { CustomFieldInput } from '../../schemas/visitor.js'
import { InvalidCustomFieldError, InvalidCustomFieldValueError, MissingRequiredCustomFieldsError } from '../errors.js'
import type { CustomFieldDefinition, CustomFieldDefinitionStore, CustomFieldScope } from '../store/custom-field-definitions.js'
import type { CustomFieldValues } from '../store/visitors.js'

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
export const SINGLE_FIELD_RULES: CustomFieldRules = { scopes: ['visitor', 'room'], undefinedKeys: 'reject', checkRequired: false }
export const FIELD_LIST_RULES: CustomFieldRules = { ...SINGLE_FIELD_RULES, checkRequired: true }

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
  const sentKeys = new Set<string>(fields.map(field => field.key))
  const missing = defined.filter(d => d.required === true && !sentKeys.has(d._id)).map(d => d._id)
  if (missing.length > 0) throw new MissingRequiredCustomFieldsError(missing.join(', '))
}

/**
 * Applies Rocket.Chat's rules for custom fields to the definitions of the rules' scopes: only
 * keys defined and not hidden are kept, each value must match its definition's regexp, and
 * every required definition must be among the keys sent. The last value sent for a key wins.
 */
function applyRules (
  definitions: CustomFieldDefinition[],
  fields: CustomFieldInput[],
  rules: CustomFieldRules,
  log: FastifyBaseLogger
): ScopedCustomFieldValues {
  const values: ScopedCustomFieldValues = { visitor: noValues(), room: noValues() }
  // A hidden definition cannot be set by a visitor, so it cannot be required of one either.
  const visible = definitions.filter(d => d.visibility !== 'hidden')
  if (rules.checkRequired) assertRequiredSent(visible, fields)

  const applicable = new Map(visible.map(d => [d._id, d]))
  for (const { key, value, overwrite } of fields) {
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
    scoped[overwrite === true ? 'overwrite' : 'fillEmpty'].set(key, value)
  }
  return values
}

/** Judges a request's custom fields against the administrator's definitions, read for each request. */
export class CustomFieldResolver {
  constructor (
    private readonly definitions: CustomFieldDefinitionStore,
    private readonly log: FastifyBaseLogger
  ) {}

  /** The values to set, by scope; without fields, none (and the definitions are not read). */
  async resolve (fields: CustomFieldInput[] | undefined, rules: CustomFieldRules): Promise<ScopedCustomFieldValues> {
    if (fields === undefined || fields.length === 0) return { visitor: noValues(), room: noValues() }
    return applyRules(await this.definitions.ofScopes(rules.scopes), fields, rules, this.log)
  }
}
