import {
  deleteCustomFieldSchema, getCustomFieldSchema, listCustomFieldsSchema, saveCustomFieldSchema, type DefinitionSort
} from '../../../schemas/custom-field-definitions.js'
import { pageOf } from '../../service/paging.js'
import { requirePermission } from '../agent-gate.js'
import { pagedAnswer } from '../paged-answer.js'
import { AGENT_GET, AGENT_WITH_BODY, documented } from '../responses.js'
import type { RouteContext } from '../route-context.js'
import { sortOf } from '../sort-parameter.js'

/**
 * The custom-field definitions that registration and custom.field(s) apply: read by any livechat
 * agent, written by managers (Rocket.Chat's permissions). A saved definition applies to the next request.
 */
export function customFieldDefinitionRoutes ({ instance, useCases, authorizeAgent, limits }: RouteContext): void {
  const viewRoom = requirePermission(authorizeAgent, 'view-l-room')
  const manage = requirePermission(authorizeAgent, 'view-livechat-manager')

  instance.get('/livechat/custom-fields', { schema: documented(listCustomFieldsSchema, AGENT_GET), preValidation: viewRoom, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const { text, sort, count, offset } = request.query
    const page = pageOf(count, offset)
    return pagedAnswer('customFields', await useCases.listCustomFieldDefinitions(text, sortOf<DefinitionSort>(sort), page), page.offset)
  })

  // A name that cannot exist is answered as an absent one, as Rocket.Chat does, without a query.
  instance.get('/livechat/custom-fields/:_id', { schema: documented(getCustomFieldSchema, AGENT_GET), preValidation: viewRoom, attachValidation: true, ...limits.other, exposeHeadRoute: false }, async (request) => {
    const customField = request.validationError === undefined ? await useCases.findCustomFieldDefinition(request.params._id) : null
    return { customField, success: true as const }
  })

  instance.post('/livechat/custom-fields.save', { schema: documented(saveCustomFieldSchema, AGENT_WITH_BODY), preValidation: manage, ...limits.other }, async (request) => {
    const { customFieldId, customFieldData } = request.body
    return { customField: await useCases.saveCustomFieldDefinition(customFieldId, customFieldData), success: true as const }
  })

  instance.post('/livechat/custom-fields.delete', { schema: documented(deleteCustomFieldSchema, AGENT_WITH_BODY), preValidation: manage, ...limits.other }, async (request) => {
    await useCases.deleteCustomFieldDefinition(request.body.customFieldId)
    return { success: true as const }
  })
}
