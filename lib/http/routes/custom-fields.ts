import { setCustomFieldSchema, setCustomFieldsSchema } from '../../../schemas/custom-fields.js'
import { documented, VISITOR_WITH_BODY } from '../responses.js'
import type { RouteContext } from '../route-context.js'

export function customFieldRoutes ({ instance, useCases, limits }: RouteContext): void {
  instance.post('/livechat/custom.field', { schema: documented(setCustomFieldSchema, VISITOR_WITH_BODY), ...limits.tokenRoutes }, async (request) => {
    const { token, key, value, overwrite } = request.body
    await useCases.setCustomField(token, { key, value, overwrite })
    return { field: { key, value, overwrite }, success: true as const }
  })

  instance.post('/livechat/custom.fields', { schema: documented(setCustomFieldsSchema, VISITOR_WITH_BODY), ...limits.tokenRoutes }, async (request) => {
    const { token, customFields } = request.body
    await useCases.setCustomFields(token, customFields)
    const fields = customFields.map(({ key, value, overwrite }) => ({ Key: key, value, overwrite }))
    return { fields, success: true as const }
  })
}
