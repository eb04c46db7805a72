import type { Collection, Document } from 'mongodb'
import type { FastifyBaseLogger } from 'fastify'
import { AGENT_VISITOR_FIELDS, SEARCHED_VISITOR_FIELDS, type AgentVisitor, type SearchedVisitor } from '../schemas/agent.js'
import { PUBLIC_VISITOR_FIELDS, type PublicVisitor, type VisitorInput } from '../schemas/visitor.js'
import { asId, isDuplicateKeyError, projectionOf, type LivechatCollections } from './collections.js'
import { REGISTRATION_RULES, resolveCustomFields, type CustomFieldValues } from './custom-fields.js'
import { InvalidDepartmentError, InvalidUsernameError, RegistrationConflictError } from './errors.js'
import { GuestCounter } from './guest-counter.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'
import { queryString } from './query-values.js'
import { findPage, type Page, type PageOf } from './paging.js'

/** What the host may store about the request that created a visitor. */
export interface ConnectionInfo {
  userAgent?: string
  ip?: string
  host?: string
}

export interface RegisteredVisitor {
  visitor: PublicVisitor
  created: boolean
}

const PUBLIC_PROJECTION = projectionOf(PUBLIC_VISITOR_FIELDS)
const AGENT_PROJECTION = projectionOf(AGENT_VISITOR_FIELDS)
const SEARCHED_PROJECTION = projectionOf(SEARCHED_VISITOR_FIELDS)
const SEARCHED_FIELDS = ['name', 'username', 'visitorEmails.address', 'phone.phoneNumber']
const MAX_REGISTRATION_ATTEMPTS = 10

function toPublicVisitor (document: Document): PublicVisitor {
  const visitor: Document = {}
  for (const field of PUBLIC_VISITOR_FIELDS) {
    if (document[field] !== undefined) visitor[field] = document[field]
  }
  return visitor as PublicVisitor
}

/** The term as a case-insensitive prefix match: its characters are literal, never a pattern. */
function prefixPattern (term: string): RegExp {
  return new RegExp(`^${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i')
}

function connectionFields (connection: ConnectionInfo = {}): Document {
  const fields: Document = {}
  for (const key of ['userAgent', 'ip', 'host'] as const) {
    if (typeof connection[key] === 'string') fields[key] = connection[key]
  }
  return fields
}

/** Registration's changes to a visitor, shared by the update and the creation paths. */
interface VisitorChanges {
  fields: Document
  customFields: CustomFieldValues
  /** The username a new visitor takes; none: a guest name. */
  username?: string
}

export class VisitorStore {
  private readonly visitors: Collection<Document>
  private readonly guestCounter: GuestCounter

  constructor (
    private readonly collections: LivechatCollections,
    private readonly options: ResolvedOptions,
    private readonly log: FastifyBaseLogger
  ) {
    this.visitors = collections.visitors
    this.guestCounter = new GuestCounter(collections.settings)
  }

  async findByToken (token: string): Promise<PublicVisitor | null> {
    return this.visitors.findOne<PublicVisitor>({ token: queryString(token, 'token') }, { projection: PUBLIC_PROJECTION })
  }

  /** An agent's view of a visitor that is not erased: no token. */
  async findEnabledById (visitorId: string): Promise<AgentVisitor | null> {
    return this.visitors.findOne<AgentVisitor>(
      { _id: asId(queryString(visitorId, 'visitorId')), disabled: { $ne: true } },
      { projection: AGENT_PROJECTION }
    )
  }

  /** Visitors whose name, username, email or phone starts with the term, newest first. */
  async search (term: string, page: Page): Promise<PageOf<SearchedVisitor>> {
    const pattern = prefixPattern(queryString(term, 'term'))
    const filter = { disabled: { $ne: true }, $or: SEARCHED_FIELDS.map(field => ({ [field]: pattern })) }
    return findPage(this.visitors, filter, { projection: SEARCHED_PROJECTION, sort: { ts: -1, _id: 1 } }, page)
  }

  /**
   * Updates the visitor with this token, or creates it. Concurrent first
   * registrations of one token meet at the unique token index: the losers
   * retry as updates, so all of them answer the same visitor.
   */
  async register (input: VisitorInput, connection?: ConnectionInfo): Promise<RegisteredVisitor> {
    const changes: VisitorChanges = {
      fields: await this.fieldsToSet(input),
      customFields: (await resolveCustomFields(this.collections.customFields, input.customFields, REGISTRATION_RULES, this.log)).visitor,
      // An empty string means "not sent", as in Rocket.Chat.
      username: input.username ? queryString(input.username, 'username') : undefined
    }
    for (let attempt = 0; attempt < MAX_REGISTRATION_ATTEMPTS; attempt++) {
      const updated = await this.update(input.token, changes)
      if (updated !== null) return { visitor: toPublicVisitor(updated), created: false }
      const created = await this.tryCreate(input.token, changes, connection)
      if (created !== null) return { visitor: toPublicVisitor(created), created: true }
    }
    throw new RegistrationConflictError()
  }

  private async fieldsToSet (input: VisitorInput): Promise<Document> {
    // An empty string means "not sent", as in Rocket.Chat.
    const fields: Document = { token: queryString(input.token, 'token'), status: 'online' }
    if (input.name) fields.name = queryString(input.name, 'name')
    if (input.email) fields.visitorEmails = [{ address: queryString(input.email, 'email').trim().toLowerCase() }]
    if (input.phone) fields.phone = [{ phoneNumber: queryString(input.phone, 'phone') }]
    if (input.department) fields.department = await this.resolveDepartment(queryString(input.department, 'department'))
    return fields
  }

  private async resolveDepartment (idOrName: string): Promise<string> {
    const department = await this.collections.departments.findOne(
      { $or: [{ _id: asId(idOrName) }, { name: idOrName }] },
      { projection: { _id: 1 } }
    )
    if (department === null) throw new InvalidDepartmentError()
    return String(department._id)
  }

  /** Sets the visitor's status; returns the visitor after, or null when no visitor has this token. */
  async setStatus (token: string, status: string): Promise<PublicVisitor | null> {
    const filter = { token: queryString(token, 'token') }
    const updated = await this.visitors.findOneAndUpdate(filter, { $set: { status: queryString(status, 'status'), _updatedAt: new Date() } }, { returnDocument: 'after' })
    return updated === null ? null : toPublicVisitor(updated)
  }

  /** Sets custom-field values; returns the visitor after, or null when no visitor has this token. */
  async setLivechatData (token: string, customFields: CustomFieldValues): Promise<PublicVisitor | null> {
    const updated = await this.update(queryString(token, 'token'), { fields: {}, customFields })
    return updated === null ? null : toPublicVisitor(updated)
  }

  /** Returns the updated visitor, or null when no visitor has this token. */
  private async update (token: string, { fields, customFields }: VisitorChanges): Promise<Document | null> {
    const now = new Date()
    for (const [key, value] of customFields.fillEmpty) {
      const path = `livechatData.${key}`
      await this.visitors.updateOne({ token, [path]: { $in: [null, ''] } }, { $set: { [path]: value, _updatedAt: now } })
    }
    const set: Document = { ...fields, _updatedAt: now }
    for (const [key, value] of customFields.overwrite) set[`livechatData.${key}`] = value
    return this.visitors.findOneAndUpdate({ token }, { $set: set }, { returnDocument: 'after' })
  }

  /** Returns the new visitor, or null when a concurrent registration took its token or guest name first. */
  private async tryCreate (token: string, { fields, customFields, username }: VisitorChanges, connection?: ConnectionInfo): Promise<Document | null> {
    const now = new Date()
    const visitor: Document = {
      _id: newId(),
      username: username ?? `guest-${await this.guestCounter.next()}`,
      ts: now,
      ...fields,
      _updatedAt: now
    }
    if (customFields.fillEmpty.size + customFields.overwrite.size > 0) {
      visitor.livechatData = Object.fromEntries([...customFields.fillEmpty, ...customFields.overwrite])
    }
    if (this.options.collectHttpHeaders) Object.assign(visitor, connectionFields(connection))
    try {
      await this.visitors.insertOne(visitor)
      return visitor
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
      if (username !== undefined && await this.visitors.countDocuments({ token }, { limit: 1 }) === 0) {
        throw new InvalidUsernameError()
      }
      return null
    }
  }
}
