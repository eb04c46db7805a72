import type { Document, Filter } from 'mongodb'
import {
  AGENT_VISITOR_FIELDS, AUTOCOMPLETE_LIMIT, SEARCHED_VISITOR_FIELDS, type AgentVisitor, type AutocompleteItem, type SearchedVisitor, type VisitorSort
} from '../../schemas/agent.js'
import type { CustomFieldKey, DepartmentId, PlainText, Token, VisitorId } from '../../schemas/checked.js'
import { EXPORTED_VISITOR_FIELDS, type ExportedVisitor } from '../../schemas/export.js'
import { PUBLIC_VISITOR_FIELDS, type PublicVisitor, type VisitorStatus } from '../../schemas/visitor.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId, projectionOf } from './collections.js'
import { isDuplicateKeyError } from './database-errors.js'
import { newId } from './ids.js'
import { findPage, orderOf, type Page, type PageOf } from './paging.js'
import { startsWith } from './text-patterns.js'

/** What the host may store about the request that created a visitor. */
export interface ConnectionInfo {
  userAgent?: string
  ip?: string
  host?: string
}

/**
 * Custom-field values: those that replace a stored value, and those set only where none is stored
 * (a stored empty string or null stays, as in Rocket.Chat's `updateLivechatDataByToken`).
 */
export interface CustomFieldValues {
  overwrite: Map<CustomFieldKey, PlainText>
  fillMissing: Map<CustomFieldKey, PlainText>
}

/** A verified visitor's identity: the host's user it is, and when that was last proven. */
export interface VerifiedIdentity {
  userId: PlainText
  verifiedAt: Date
}

/** The fields a registration sets; one not given keeps its stored value. */
export interface RegistrationFields {
  name?: PlainText
  email?: PlainText
  phone?: PlainText
  department?: DepartmentId
  identity?: VerifiedIdentity
}

/** A visitor as identity verification sees it: who holds a token, or a user's visitor. */
export interface IdentityHolder {
  _id: StoredVisitorId
  token: Token
  identity?: { userId: string }
}

/** A change to a visitor: by a registration (which also sets it online), or of its custom fields only. */
export interface VisitorChange {
  registration?: RegistrationFields
  customFields: CustomFieldValues
}

/** A new visitor's username: the one it asked for, or the guest name of a number. */
export type NewUsername = { chosen: PlainText } | { guestNumber: number }

/** A visitor's id, as the erasure needs it to find the rest. */
export type StoredVisitorId = Document['_id']

/** A visitor whose erasure waits for its rooms to close. */
export interface PendingErasureOf {
  _id: StoredVisitorId
  token: Token
}

/** How many pending erasures one run of the periodic task looks at, oldest requests first. */
const PENDING_ERASURES_PER_RUN = 1000

/** What disableById unsets, then the plugin's own fields that name the person. */
const ERASED_FIELDS = Object.fromEntries([
  'department', 'contactManager', 'token', 'visitorEmails', 'phone', 'name', 'livechatData', 'lastChat',
  'ip', 'host', 'userAgent', 'username', 'ts', 'status',
  'identity', 'erasureRequestedAt'
].map(field => [field, 1]))

const PUBLIC_PROJECTION = projectionOf(PUBLIC_VISITOR_FIELDS)
const HOLDER_PROJECTION = projectionOf(['_id', 'token', 'identity'])
const AGENT_PROJECTION = projectionOf(AGENT_VISITOR_FIELDS)
const SEARCHED_PROJECTION = projectionOf(SEARCHED_VISITOR_FIELDS)
const EXPORT_PROJECTION = projectionOf(EXPORTED_VISITOR_FIELDS)
const SEARCHED_FIELDS = ['name', 'username', 'visitorEmails.address', 'phone.phoneNumber']
// FerretDB 1.24 does not sort by a field inside an array; by the array of {address} both servers sort alike.
const SORT_PATHS: Record<string, string> = { 'visitorEmails.address': 'visitorEmails' }

/** Enabled visitors with a searched field, or a searchable custom field, that starts with the term; all of them for an empty term. */
function searchFilter (term: PlainText, customFields: CustomFieldKey[]): Filter<Document> {
  if (term === '') return { disabled: { $ne: true } }
  const pattern = startsWith(term)
  const paths = [...SEARCHED_FIELDS, ...customFields.map(name => `livechatData.${name}`)]
  return { disabled: { $ne: true }, $or: paths.map(path => ({ [path]: pattern })) }
}

/** The sort of a search, newest first by default, on the path each server sorts by. */
function searchOrder (sort: VisitorSort): Record<string, 1 | -1> {
  const onPaths = Object.fromEntries(Object.entries(sort).map(([field, direction]) => [SORT_PATHS[field] ?? field, direction]))
  return orderOf(onPaths, { ts: -1 })
}

function toPublicVisitor (document: Document): PublicVisitor {
  const visitor: Document = {}
  for (const field of PUBLIC_VISITOR_FIELDS) {
    if (document[field] !== undefined) visitor[field] = document[field]
  }
  return visitor as PublicVisitor
}

/** The document fields of a registration, as Rocket.Chat stores them. */
function registrationDocument (token: Token, fields: RegistrationFields): Document {
  const document: Document = { token, status: 'online' }
  if (fields.name !== undefined) document.name = fields.name
  if (fields.email !== undefined) document.visitorEmails = [{ address: fields.email.trim().toLowerCase() }]
  if (fields.phone !== undefined) document.phone = [{ phoneNumber: fields.phone }]
  if (fields.department !== undefined) document.department = fields.department
  if (fields.identity !== undefined) document.identity = fields.identity
  return document
}

/** The host's connection details; a value that is not a string is left out. */
function connectionDocument (connection: ConnectionInfo): Document {
  const document: Document = {}
  for (const key of ['userAgent', 'ip', 'host'] as const) {
    if (typeof connection[key] === 'string') document[key] = connection[key]
  }
  return document
}

/** The visitors collection: one document per visitor, found by its token. */
export class VisitorStore {
  constructor (private readonly visitors: BoundedCollection) {}

  async findByToken (token: Token): Promise<PublicVisitor | null> {
    return this.visitors.findOne<PublicVisitor>({ token }, { projection: PUBLIC_PROJECTION })
  }

  /** What is stored of the visitor with this token, without internal fields: what an export answers. */
  async findExportByToken (token: Token): Promise<ExportedVisitor | null> {
    return this.visitors.findOne<ExportedVisitor>({ token }, { projection: EXPORT_PROJECTION })
  }

  async findIdByToken (token: Token): Promise<StoredVisitorId | null> {
    const visitor = await this.visitors.findOne<{ _id: StoredVisitorId }>({ token }, { projection: { _id: 1 } })
    return visitor?._id ?? null
  }

  /** The visitor holding this token, with its identity; null when none does. */
  async findHolderOf (token: Token): Promise<IdentityHolder | null> {
    return this.visitors.findOne<IdentityHolder>({ token }, { projection: HOLDER_PROJECTION })
  }

  /** The visitor verified as the host's user `userId`, or null. */
  async findVerifiedAs (userId: PlainText): Promise<IdentityHolder | null> {
    return this.visitors.findOne<IdentityHolder>({ 'identity.userId': userId }, { projection: HOLDER_PROJECTION })
  }

  /** Gives the visitor the token `to` in place of `from`; the unique token index refuses a token another visitor holds. */
  async replaceToken (visitorId: StoredVisitorId, from: Token, to: Token): Promise<void> {
    await this.visitors.updateOne({ _id: visitorId, token: from }, { $set: { token: to, _updatedAt: new Date() } })
  }

  async hasToken (token: Token): Promise<boolean> {
    return await this.visitors.countDocuments({ token }, { limit: 1 }) > 0
  }

  /** An agent's view of a visitor that is not erased: no token. */
  async findEnabledById (visitorId: VisitorId): Promise<AgentVisitor | null> {
    return this.visitors.findOne<AgentVisitor>({ _id: asId(visitorId), disabled: { $ne: true } }, { projection: AGENT_PROJECTION })
  }

  /**
   * Enabled visitors whose name, username, email, phone or one of the `customFields` starts with the
   * term (every one for an empty term), newest first unless `sort` says.
   */
  async search (term: PlainText, customFields: CustomFieldKey[], sort: VisitorSort, page: Page): Promise<PageOf<SearchedVisitor>> {
    return findPage(this.visitors, searchFilter(term, customFields), { projection: SEARCHED_PROJECTION, sort: searchOrder(sort) }, page)
  }

  /** Up to 10 enabled visitors whose name starts with the term, by name, but those of `exceptions`. */
  async autocomplete (term: PlainText, exceptions: VisitorId[]): Promise<AutocompleteItem[]> {
    const found = await this.visitors.findMany<Omit<AutocompleteItem, 'custom_name'>>(
      { name: startsWith(term), disabled: { $ne: true }, _id: { $nin: exceptions.map(asId) } },
      { projection: { _id: 1, name: 1, username: 1 }, sort: { name: 1, _id: 1 }, limit: AUTOCOMPLETE_LIMIT }
    )
    // Rocket.Chat's $concat: null when the visitor has no username (its name always matched).
    return found.map(visitor => ({ ...visitor, custom_name: visitor.username == null ? null : `${visitor.username} - ${visitor.name as string}` }))
  }

  /** Changes the visitor with this token; returns it after, or null when no visitor has this token. */
  async update (token: Token, { registration, customFields }: VisitorChange): Promise<PublicVisitor | null> {
    const now = new Date()
    for (const [key, value] of customFields.fillMissing) {
      const path = `livechatData.${key}`
      await this.visitors.updateOne({ token, [path]: { $exists: false } }, { $set: { [path]: value, _updatedAt: now } })
    }
    const set: Document = { ...(registration !== undefined && registrationDocument(token, registration)), _updatedAt: now }
    for (const [key, value] of customFields.overwrite) set[`livechatData.${key}`] = value
    const updated = await this.visitors.findOneAndUpdate({ token }, { $set: set }, { returnDocument: 'after' })
    return updated === null ? null : toPublicVisitor(updated)
  }

  /**
   * Creates a registered visitor; null when another one holds its token or username already
   * (the unique indexes refused it).
   */
  async insert (token: Token, change: Required<VisitorChange>, username: NewUsername, connection?: ConnectionInfo): Promise<PublicVisitor | null> {
    const now = new Date()
    const { fillMissing, overwrite } = change.customFields
    const visitor: Document = {
      _id: newId(),
      username: 'chosen' in username ? username.chosen : `guest-${username.guestNumber}`,
      ts: now,
      ...registrationDocument(token, change.registration),
      _updatedAt: now,
      ...(fillMissing.size + overwrite.size > 0 && { livechatData: Object.fromEntries([...fillMissing, ...overwrite]) }),
      ...(connection !== undefined && connectionDocument(connection))
    }
    try {
      await this.visitors.insertOne(visitor)
      return toPublicVisitor(visitor)
    } catch (error) {
      if (isDuplicateKeyError(error)) return null
      throw error
    }
  }

  /** Sets the visitor's status; returns the visitor after, or null when no visitor has this token. */
  async setStatus (token: Token, status: VisitorStatus): Promise<PublicVisitor | null> {
    const updated = await this.visitors.findOneAndUpdate({ token }, { $set: { status, _updatedAt: new Date() } }, { returnDocument: 'after' })
    return updated === null ? null : toPublicVisitor(updated)
  }

  /** Records that the visitor asked to be erased; false when it had asked already (the first time is kept). */
  async markErasureRequested (visitorId: StoredVisitorId, at: Date): Promise<boolean> {
    const { modifiedCount } = await this.visitors.updateOne(
      { _id: visitorId, erasureRequestedAt: { $exists: false } },
      { $set: { erasureRequestedAt: at, _updatedAt: at } }
    )
    return modifiedCount > 0
  }

  /** The visitors whose erasure is pending, oldest requests first. */
  async findPendingErasures (): Promise<PendingErasureOf[]> {
    return this.visitors.findMany<PendingErasureOf>(
      { erasureRequestedAt: { $exists: true } },
      { projection: { _id: 1, token: 1 }, sort: { erasureRequestedAt: 1, _id: 1 }, limit: PENDING_ERASURES_PER_RUN }
    )
  }

  /**
   * Rocket.Chat's LivechatVisitors.disableById, and the plugin's own fields too: the personal fields go,
   * what Rocket.Chat keeps stays (`activity`, which its monthly active contacts count reads, `lastAgent`,
   * `externalIds`, `contactId`, `source`).
   */
  async disable (visitorId: StoredVisitorId, at: Date): Promise<void> {
    await this.visitors.updateOne({ _id: visitorId }, { $set: { disabled: true, _updatedAt: at }, $unset: ERASED_FIELDS })
  }
}
