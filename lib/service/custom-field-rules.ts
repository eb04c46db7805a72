import type { FastifyBaseLogger } from 'fastify'
import type { CustomFieldInput } from '../../schemas/visitor.js'
import { InvalidCustomFieldError, InvalidCustomFieldValueError, MissingRequiredCustomFieldsError } from '../errors.js'
import type { CustomFieldKey } from '../../schemas/checked.js'
import type { CustomFieldDefinition, CustomFieldDefinitionStore, CustomFieldScope } from '../store/custom-field-definitions.js'
import type { CustomFieldValues } from '../store/visitors.js'
import { is } from './argument-checks.js'

export type ScopedCustomFieldValues = Record<CustomFieldScope, CustomFieldValues>

/**
 * How a request's keys are judged. Registration sets visitor fields, ignores other keys silently
 * and needs every required definition (Rocket.Chat's rules). The custom-field routes set both
 * scopes and reject a key that has no visible definition, and a list without one. Rocket.Chat's
 * custom.fields checks the required definitions among those sent only, which never fails: they
 * check none.
 */
export interface CustomFieldRules {
  scopes: CustomFieldScope[]
  undefinedKeys: 'ignore' | 'reject'
  checkRequired: boolean
}

export const REGISTRATION_RULES: CustomFieldRules = { scopes: ['visitor'], undefinedKeys: 'ignore', checkRequired: true }
export const CUSTOM_FIELD_ROUTE_RULES: CustomFieldRules = { scopes: ['visitor', 'room'], undefinedKeys: 'reject', checkRequired: false }

function noValues (): CustomFieldValues {
  return { overwrite: new Map(), fillMissing: new Map() }
}

/**
 * The definitions a client's key can select, by name. A stored definition whose name could not be
 * a field path (one not written through the plugin) selects nothing, so no value is stored under it.
 */
function selectableByName (definitions: CustomFieldDefinition[]): Map<string, CustomFieldDefinition & { _id: CustomFieldKey }> {
  // A hidden definition is for agents: a visitor can neither set it nor be required to.
  const selectable = definitions.filter((d): d is CustomFieldDefinition & { _id: CustomFieldKey } => d.visibility !== 'hidden' && is.definitionName(d._id))
  return new Map(selectable.map(d => [d._id, d]))
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

function assertRequiredSent (selectable: Map<string, CustomFieldDefinition>, fields: CustomFieldInput[]): void {
  const sentKeys = new Set<string>(fields.map(field => field.key))
  const missing = [...selectable.values()].filter(d => d.required === true && !sentKeys.has(d._id)).map(d => d._id)
  if (missing.length > 0) throw new MissingRequiredCustomFieldsError(missing.join(', '))
}

/**
 * Applies Rocket.Chat's rules for custom fields to the definitions of the rules' scopes: only
 * keys that select a definition are kept, each value must match its definition's regexp, and
 * (where the rules say) every required definition must be among the keys sent. The value is
 * stored under the definition's name. The last value sent for a key wins.
 */
function applyRules (
  definitions: CustomFieldDefinition[],
  fields: CustomFieldInput[],
  rules: CustomFieldRules,
  log: FastifyBaseLogger
): ScopedCustomFieldValues {
  const values: ScopedCustomFieldValues = { visitor: noValues(), room: noValues() }
  const selectable = selectableByName(definitions)
  if (rules.checkRequired) assertRequiredSent(selectable, fields)

  for (const { key, value, overwrite } of fields) {
    const definition = selectable.get(key)
    if (definition === undefined) {
      if (rules.undefinedKeys === 'reject') throw new InvalidCustomFieldError()
      continue
    }
    const regexp = compileRegexp(definition, log)
    if (regexp !== null && !regexp.test(value)) throw new InvalidCustomFieldValueError()
    const scoped = values[definition.scope]
    scoped.overwrite.delete(definition._id)
    scoped.fillMissing.delete(definition._id)
    scoped[overwrite === true ? 'overwrite' : 'fillMissing'].set(definition._id, value)
  }
  return values
}

/** Judges a request's custom fields against the administrator's definitions, read for each request. */
export class CustomFieldResolver {
  constructor (
    private readonly definitions: CustomFieldDefinitionStore,
    private readonly log: FastifyBaseLogger
  ) {}

  /**
   * The values to set, by scope. Without fields, none and the definitions are not read, or, where
   * undefined keys are rejected, `invalid-custom-field`: Rocket.Chat's custom.fields refuses a list
   * in which no key has a definition, the empty one too.
   */
  async resolve (fields: CustomFieldInput[] | undefined, rules: CustomFieldRules): Promise<ScopedCustomFieldValues> {
    if (fields === undefined || fields.length === 0) {
      if (rules.undefinedKeys === 'reject') throw new InvalidCustomFieldError()
      return { visitor: noValues(), room: noValues() }
    }
    return applyRules(await this.definitions.ofScopes(rules.scopes), fields, rules, this.log)
  }
}
