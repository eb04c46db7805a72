import type { BoundedCollection } from './bounded-collection.js'

export type CustomFieldScope = 'visitor' | 'room'

/** An administrator's definition of a custom field; its `_id` is the field's key. */
export interface CustomFieldDefinition {
  _id: string
  scope: CustomFieldScope
  visibility?: string
  regexp?: string
  required?: boolean
}

/** The definitions of these scopes, hidden ones included. */
export async function findCustomFieldDefinitions (definitions: BoundedCollection, scopes: CustomFieldScope[]): Promise<CustomFieldDefinition[]> {
  return definitions.findMany<CustomFieldDefinition>({ scope: { $in: scopes } }, { projection: { scope: 1, visibility: 1, regexp: 1, required: 1 } })
}
