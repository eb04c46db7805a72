import { setCustomFieldSchema, setCustomFieldsSchema } from '../../schemas/custom-fields.js'
import type { LivechatScope } from './scope.js'

export function customFieldRoutes ({ instance, operations, limits }: LivechatScope): void {
  instance.post('/livechat/custom.field', { schema: setCustomFieldSchema, config: limits.other }, async (request) => {
    const { token, key, value, overwrite = false } = request.body
    await operations.setCustomField(token, { key, value, overwrite })
    return { field: { key, value, overwrite }, success: true as const }
  })

  instance.post('/livechat/custom.fields', { schema: setCustomFieldsSchema, config: limits.other }, async (request) => {
    const { token, customFields } = request.body
    await operations.setCustomFields(token, customFields)
    const fields = customFields.map(({ key, value, overwrite = false }) => ({ Key: key, value, overwrite }))
    return { fields, success: true as const }
  })
}
