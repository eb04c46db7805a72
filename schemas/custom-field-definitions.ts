import { Type, type Static } from '@sinclair/typebox'
import { checked } from './checked.js'
import { AGENT_TAG, IsoDate, SafeText, SortOrder } from './shared.js'
import { ListQuery, PagingAnswer } from './agent.js'

/** A definition's name, its `_id`: Rocket.Chat's rule, and safe in a field path. */
export const CustomFieldName = checked<'CustomFieldKey'>(Type.String({
  pattern: '^(?!(?:__proto__|constructor|prototype)$)[0-9a-zA-Z_-]{1,64}$',
  description: '1 to 64 characters of 0-9 a-z A-Z - _, other than __proto__, constructor and prototype'
}))

/** The longest `regexp` of a definition, in characters. */
export const MAX_DEFINITION_REGEXP_LENGTH = 512

export const CustomFieldDefinitionInput = Type.Object({
  field: CustomFieldName,
  label: SafeText(256, 1),
  scope: Type.Union([Type.Literal('visitor'), Type.Literal('room')]),
  visibility: SafeText(32, 1),
  searchable: Type.Optional(Type.Boolean()),
  regexp: Type.Optional(SafeText(MAX_DEFINITION_REGEXP_LENGTH)),
  type: Type.Optional(SafeText(32)),
  required: Type.Optional(Type.Boolean()),
  defaultValue: Type.Optional(SafeText(1024)),
  options: Type.Optional(SafeText(4096)),
  public: Type.Optional(Type.Boolean())
}, {
  $id: 'LivechatCustomFieldDefinitionInput',
  additionalProperties: false,
  description: 'A custom field\'s definition, as an administrator writes it: these fields only, each stored as it is sent'
})
export type CustomFieldDefinitionInput = Static<typeof CustomFieldDefinitionInput>

export const CustomFieldDefinition = Type.Object({
  _id: Type.String({ description: 'The field\'s name' }),
  label: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  visibility: Type.Optional(Type.String()),
  searchable: Type.Optional(Type.Boolean()),
  regexp: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  required: Type.Optional(Type.Boolean()),
  defaultValue: Type.Optional(Type.String()),
  options: Type.Optional(Type.String()),
  public: Type.Optional(Type.Boolean()),
  _updatedAt: Type.Optional(IsoDate)
}, { $id: 'LivechatCustomFieldDefinition', description: 'A custom field\'s definition' })
export type CustomFieldDefinition = Static<typeof CustomFieldDefinition>
export const CUSTOM_FIELD_DEFINITION_FIELDS = Object.keys(CustomFieldDefinition.properties)

export const DEFINITION_SORT_FIELDS = ['_id', 'label', 'scope'] as const
export const DefinitionSort = SortOrder(DEFINITION_SORT_FIELDS)
export type DefinitionSort = Static<typeof DefinitionSort>

/** What an administrator's list of definitions looks for: plain text in the name or label. */
export const DefinitionText = SafeText(256)

export const listCustomFieldsSchema = {
  tags: [AGENT_TAG],
  summary: 'The custom-field definitions, by label, optionally those whose name or label holds a text (agents: view-l-room)',
  querystring: ListQuery(DEFINITION_SORT_FIELDS, { text: Type.Optional(DefinitionText) }),
  response: {
    200: Type.Object({ customFields: Type.Array(CustomFieldDefinition), ...PagingAnswer, success: Type.Literal(true) })
  }
}

export const getCustomFieldSchema = {
  tags: [AGENT_TAG],
  summary: 'One custom-field definition by its name, null when there is none (agents: view-l-room)',
  params: Type.Object({ _id: CustomFieldName }),
  response: {
    200: Type.Object({ customField: Type.Union([CustomFieldDefinition, Type.Null()]), success: Type.Literal(true) })
  }
}

export const SaveCustomFieldBody = Type.Object({
  customFieldId: Type.Union([CustomFieldName, Type.Null()], { description: 'null to create the field, its name to update it' }),
  customFieldData: CustomFieldDefinitionInput
})
export type SaveCustomFieldBody = Static<typeof SaveCustomFieldBody>

export const saveCustomFieldSchema = {
  tags: [AGENT_TAG],
  summary: 'Create (customFieldId null) or update a custom-field definition (agents: view-livechat-manager)',
  body: SaveCustomFieldBody,
  response: {
    200: Type.Object({ customField: CustomFieldDefinition, success: Type.Literal(true) })
  }
}

export const DeleteCustomFieldBody = Type.Object({ customFieldId: CustomFieldName })

export const deleteCustomFieldSchema = {
  tags: [AGENT_TAG],
  summary: 'Delete a custom-field definition (agents: view-livechat-manager)',
  body: DeleteCustomFieldBody,
  response: {
    200: Type.Object({ success: Type.Literal(true) })
  }
}
