import type { CustomFieldKey, PlainText } from '../../schemas/checked.js'
import type { CustomFieldDefinition, CustomFieldDefinitionInput, DefinitionSort } from '../../schemas/custom-field-definitions.js'
import {
  CustomFieldAlreadyExistsError, CustomFieldNotFoundError, CustomFieldToDeleteNotFoundError, InvalidParamsError
} from '../errors.js'
import type { CustomFieldDefinitionStore } from '../store/custom-field-definitions.js'
import type { Page, PageOf } from '../store/paging.js'

/** An administrator's management of the custom-field definitions, which the visitor routes read at each request. */
export interface DefinitionUseCases {
  /** A page of the definitions whose name or label holds the text, by label. */
  listCustomFieldDefinitions (text: PlainText | undefined, sort: DefinitionSort, page: Page): Promise<PageOf<CustomFieldDefinition>>
  /** The definition of this name, or null. */
  findCustomFieldDefinition (name: CustomFieldKey): Promise<CustomFieldDefinition | null>
  /** Creates the definition (`customFieldId` null) or updates the one of that name; its `regexp` must compile. */
  saveCustomFieldDefinition (customFieldId: CustomFieldKey | null, input: CustomFieldDefinitionInput): Promise<CustomFieldDefinition>
  /** Deletes the definition of this name. */
  deleteCustomFieldDefinition (name: CustomFieldKey): Promise<void>
}

/** Rocket.Chat stores a regexp that does not compile, and the registrations fail later; here it is refused. */
function assertCompiles (regexp: string | undefined): void {
  if (regexp === undefined) return
  try {
    new RegExp(regexp) // eslint-disable-line no-new
  } catch (error) {
    throw new InvalidParamsError(`customFieldData.regexp must be a regular expression that compiles: ${(error as Error).message}`)
  }
}

export function createDefinitionUseCases (definitions: CustomFieldDefinitionStore): DefinitionUseCases {
  return {
    listCustomFieldDefinitions: (text, sort, page) => definitions.list(text, sort, page),
    findCustomFieldDefinition: name => definitions.findByName(name),
    async saveCustomFieldDefinition (customFieldId, input) {
      assertCompiles(input.regexp)
      if (customFieldId === null) {
        const created = await definitions.create(input)
        if (created === null) throw new CustomFieldAlreadyExistsError()
        return created
      }
      const updated = await definitions.update(customFieldId, input)
      if (updated === null) throw new CustomFieldNotFoundError()
      return updated
    },
    async deleteCustomFieldDefinition (name) {
      if (!await definitions.remove(name)) throw new CustomFieldToDeleteNotFoundError()
    }
  }
}
