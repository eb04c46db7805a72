import type { Document } from 'mongodb'
import {
  CUSTOM_FIELD_DEFINITION_FIELDS, type CustomFieldDefinition as StoredDefinition, type CustomFieldDefinitionInput, type DefinitionSort
} from '../../schemas/custom-field-definitions.js'
import type { CustomFieldKey, PlainText } from '../../schemas/checked.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId, projectionOf } from './collections.js'
import { isDuplicateKeyError } from './database-errors.js'
import { findPage, orderOf, type Page, type PageOf } from './paging.js'
import { contains } from './text-patterns.js'

export type CustomFieldScope = 'visitor' | 'room'

/** An administrator's definition of a custom field as the rules read it; its `_id` is the field's key. */
export interface CustomFieldDefinition {
  _id: string
  scope: CustomFieldScope
  visibility?: string
  regexp?: string
  required?: boolean
}

const DEFINITION_PROJECTION = projectionOf(CUSTOM_FIELD_DEFINITION_FIELDS)

/** The searchable fields a visitor search looks into at most: each is one more pattern per visitor, and FerretDB scans them all. */
const MAX_SEARCHED_CUSTOM_FIELDS = 20

/** The stored fields of a definition, as Rocket.Chat's createOrUpdateCustomField writes them: all but `field`, the `_id`. */
function definitionFields ({ field, ...fields }: CustomFieldDefinitionInput): Document {
  return { ...fields, _updatedAt: new Date() }
}

/** The fields of a stored definition that are answered, as the projection keeps them. */
function definitionOf (document: Document): StoredDefinition {
  return Object.fromEntries(CUSTOM_FIELD_DEFINITION_FIELDS.filter(field => field in document).map(field => [field, document[field]])) as StoredDefinition
}

/** The custom-field definitions (`rocketchat_livechat_custom_field`), as an administrator manages them. */
export class CustomFieldDefinitionStore {
  constructor (private readonly definitions: BoundedCollection) {}

  /** A page of the definitions whose name or label holds the text (any letter case), by label unless `sort` says otherwise. */
  async list (text: PlainText | undefined, sort: DefinitionSort, page: Page): Promise<PageOf<StoredDefinition>> {
    const filter = text === undefined || text === '' ? {} : { $or: [{ label: contains(text) }, { _id: contains(text) }] }
    return findPage(this.definitions, filter, { projection: DEFINITION_PROJECTION, sort: orderOf(sort, { label: 1 }) }, page)
  }

  /** The definitions of these scopes, hidden ones included, with what the rules read. */
  async ofScopes (scopes: CustomFieldScope[]): Promise<CustomFieldDefinition[]> {
    return this.definitions.findMany<CustomFieldDefinition>({ scope: { $in: scopes } }, { projection: { scope: 1, visibility: 1, regexp: 1, required: 1 } })
  }

  /**
   * The names of the searchable visitor definitions (Rocket.Chat's `findMatchingCustomFields('visitor', true)`),
   * the first MAX_SEARCHED_CUSTOM_FIELDS by name, as stored: a definition Rocket.Chat wrote may have any _id.
   */
  async searchableVisitorFields (): Promise<unknown[]> {
    const searchable = await this.definitions.findMany<{ _id: unknown }>(
      { scope: 'visitor', searchable: true },
      { projection: { _id: 1 }, sort: { _id: 1 }, limit: MAX_SEARCHED_CUSTOM_FIELDS }
    )
    return searchable.map(definition => definition._id)
  }

  /** The names of the hidden definitions: their values are for agents only. */
  async hiddenNames (): Promise<Set<string>> {
    const hidden = await this.definitions.findMany<{ _id: string }>({ visibility: 'hidden' }, { projection: { _id: 1 } })
    return new Set(hidden.map(definition => definition._id))
  }

  async findByName (name: CustomFieldKey): Promise<StoredDefinition | null> {
    return this.definitions.findOne<StoredDefinition>({ _id: asId(name) }, { projection: DEFINITION_PROJECTION })
  }

  /** The new definition, or null when one has this name already. */
  async create (input: CustomFieldDefinitionInput): Promise<StoredDefinition | null> {
    const definition = { _id: input.field, ...definitionFields(input) }
    try {
      await this.definitions.insertOne(definition)
    } catch (error) {
      if (isDuplicateKeyError(error)) return null
      throw error
    }
    return definitionOf(definition)
  }

  /** Sets the definition's fields (those not sent keep their value); null when there is no such definition. */
  async update (name: CustomFieldKey, input: CustomFieldDefinitionInput): Promise<StoredDefinition | null> {
    // Without a projection: FerretDB 1.24 implements none in findAndModify.
    const updated = await this.definitions.findOneAndUpdate({ _id: asId(name) }, { $set: definitionFields(input) }, { returnDocument: 'after' })
    return updated === null ? null : definitionOf(updated)
  }

  /** Whether a definition of this name was there to delete. */
  async remove (name: CustomFieldKey): Promise<boolean> {
    return (await this.definitions.deleteMany({ _id: asId(name) })).deletedCount > 0
  }
}
