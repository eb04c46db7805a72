import { Type } from '@sinclair/typebox'
import { Token, VISITOR_TAG, withErrorResponses } from './shared.js'
import { CustomFieldInput } from './visitor.js'

export const SetCustomFieldBody = Type.Object({ token: Token, ...CustomFieldInput.properties })

export const SetCustomFieldsBody = Type.Object({
  token: Token,
  customFields: Type.Array(CustomFieldInput, { maxItems: 50 })
})

const SetField = Type.Object({ key: Type.String(), value: Type.String(), overwrite: Type.Boolean() })

export const setCustomFieldSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set one custom field of the visitor (visitor scope) or of its open rooms (room scope)',
  body: SetCustomFieldBody,
  response: withErrorResponses({
    200: Type.Object({ field: SetField, success: Type.Literal(true) })
  })
}

export const setCustomFieldsSchema = {
  tags: [VISITOR_TAG],
  summary: 'Set several custom fields of the visitor or of its open rooms',
  body: SetCustomFieldsBody,
  response: withErrorResponses({
    200: Type.Object({
      fields: Type.Array(Type.Object({ Key: Type.String(), value: Type.String(), overwrite: Type.Boolean() }), {
        description: 'The fields as set; Rocket.Chat spells the key "Key" here'
      }),
      success: Type.Literal(true)
    })
  })
}
