import { Type } from '@sinclair/typebox'
import { MAX_CUSTOM_FIELDS, Token, VISITOR_TAG } from './shared.js'
import { SetCustomFieldInput } from './visitor.js'

export const SetCustomFieldBody = Type.Object({ token: Token, ...SetCustomFieldInput.properties })

export const SetCustomFieldsBody = Type.Object({
  token: Token,
  customFields: Type.Array(SetCustomFieldInput, { maxItems: MAX_CUSTOM_FIELDS })
})

const SetField = Type.Object({ key: Type.String(), value: Type.String(), overwrite: Type.Boolean() })

export const setCustomFieldSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set one custom field of the visitor (visitor scope) or of its open rooms (room scope)',
  body: SetCustomFieldBody,
  response: {
    200: Type.Object({ field: SetField, success: Type.Literal(true) })
  }
}

export const setCustomFieldsSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set several custom fields of the visitor or of its open rooms',
  body: SetCustomFieldsBody,
  response: {
    200: Type.Object({
      fields: Type.Array(Type.Object({ Key: Type.String(), value: Type.String(), overwrite: Type.Boolean() }), {
        description: 'The fields as set; Rocket.Chat spells the key "Key" here'
      }),
      success: Type.Literal(true)
    })
  }
}
