import type { Collection, Document } from 'mongodb'
import type { FastifyBaseLogger } from 'fastify'
import { PUBLIC_VISITOR_FIELDS, type PublicVisitor, type VisitorInput } from '../schemas/visitor.js'
import { isDuplicateKeyError, type LivechatCollections } from './collections.js'
import { resolveCustomFields, type CustomFieldValues } from './custom-fields.js'
import { InvalidDepartmentError, InvalidUsernameError, RegistrationConflictError } from './errors.js'
import { GuestCounter } from './guest-counter.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'

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

const PUBLIC_PROJECTION = Object.fromEntries(PUBLIC_VISITOR_FIELDS.map(field => [field, 1]))
const MAX_REGISTRATION_ATTEMPTS = 10

function toPublicVisitor (document: Document): PublicVisitor {
  const visitor: Document = {}
  for (const field of PUBLIC_VISITOR_FIELDS) {
    if (document[field] !== undefined) visitor[field] = document[field]
  }
  return visitor as PublicVisitor
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
    return this.visitors.findOne<PublicVisitor>({ token }, { projection: PUBLIC_PROJECTION })
  }

  /**
   * Updates the visitor with this token, or creates it. Concurrent first
   * registrations of one token meet at the unique token index: the losers
   * retry as updates, so all of them answer the same visitor.
   */
  async register (input: VisitorInput, connection?: ConnectionInfo): Promise<RegisteredVisitor> {
    const changes: VisitorChanges = {
      fields: await this.fieldsToSet(input),
      customFields: await resolveCustomFields(this.collections.customFields, input.customFields, this.log)
    }
    for (let attempt = 0; attempt < MAX_REGISTRATION_ATTEMPTS; attempt++) {
      const updated = await this.updateExisting(input.token, changes)
      if (updated !== null) return { visitor: toPublicVisitor(updated), created: false }
      const created = await this.tryCreate(input, changes, connection)
      if (created !== null) return { visitor: toPublicVisitor(created), created: true }
    }
    throw new RegistrationConflictError()
  }

  private async fieldsToSet (input: VisitorInput): Promise<Document> {
    // An empty string means "not sent", as in Rocket.Chat.
    const fields: Document = { token: input.token, status: 'online' }
    if (input.name) fields.name = input.name
    if (input.email) fields.visitorEmails = [{ address: input.email.trim().toLowerCase() }]
    if (input.phone) fields.phone = [{ phoneNumber: input.phone }]
    if (input.department) fields.department = await this.resolveDepartment(input.department)
    return fields
  }

  private async resolveDepartment (idOrName: string): Promise<string> {
    const department = await this.collections.departments.findOne(
      { $or: [{ _id: idOrName as unknown as Document['_id'] }, { name: idOrName }] },
      { projection: { _id: 1 } }
    )
    if (department === null) throw new InvalidDepartmentError()
    return String(department._id)
  }

  /** Returns the updated visitor, or null when no visitor has this token. */
  private async updateExisting (token: string, { fields, customFields }: VisitorChanges): Promise<Document | null> {
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
  private async tryCreate (input: VisitorInput, { fields, customFields }: VisitorChanges, connection?: ConnectionInfo): Promise<Document | null> {
    const now = new Date()
    const visitor: Document = {
      _id: newId(),
      username: input.username || `guest-${await this.guestCounter.next()}`,
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
      if (input.username && await this.visitors.countDocuments({ token: input.token }, { limit: 1 }) === 0) {
        throw new InvalidUsernameError()
      }
      return null
    }
  }
}
