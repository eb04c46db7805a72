import type { PlainText, Token } from '../../schemas/checked.js'
import type { PublicVisitor, VisitorInput } from '../../schemas/visitor.js'
import { EmptyTokenError, InvalidDepartmentError, InvalidUsernameError, RegistrationConflictError } from '../errors.js'
import type { BoundedCollection } from '../store/bounded-collection.js'
import { isDuplicateKeyError } from '../store/database-errors.js'
import { findDepartmentId } from '../store/departments.js'
import type { GuestCounter } from '../store/guest-counter.js'
import type { ConnectionInfo, NewUsername, RegistrationFields, VerifiedIdentity, VisitorChange, VisitorStore } from '../store/visitors.js'
import { is } from './argument-checks.js'
import { storableConnection } from './connection-info.js'
import { REGISTRATION_RULES, type CustomFieldResolver } from './custom-field-rules.js'
import { claimToken, verifiedIdentity, type IdentityParts } from './identity.js'

export interface RegisteredVisitor {
  visitor: PublicVisitor
  created: boolean
}

/** What a registration reads and writes. */
export interface RegistrationParts {
  visitors: VisitorStore
  departments: BoundedCollection
  guestCounter: GuestCounter
  customFields: CustomFieldResolver
  /** Whether a new visitor keeps the connection details of the request that created it. */
  collectHttpHeaders: boolean
  /** The author of the navigation history, whose name no visitor may take. */
  systemUsername: string
  identity: IdentityParts
}

/**
 * Names a visitor cannot choose, in any letter case: the guest names the plugin and Rocket.Chat give
 * (`guest-<n>`: taken ones would make the next registrations fail), and the system user's.
 */
function isReservedUsername (username: string, systemUsername: string): boolean {
  return /^guest-\d+$/i.test(username) || username.toLowerCase() === systemUsername.toLowerCase()
}

const MAX_REGISTRATION_ATTEMPTS = 10

/** A registration whose token is a token: the schema also lets an empty or blank one through. */
export type TokenRegistration = VisitorInput & { token: Token }

/** The input with its token, or Rocket.Chat's answer to an empty or blank one, before anything is read. */
export function withToken (input: VisitorInput): TokenRegistration {
  const { token } = input
  if (!is.token(token)) throw new EmptyTokenError()
  return { ...input, token }
}

/** A visitor registered by its token: found by the token only, created when none has it. */
export class VisitorRegistration {
  constructor (private readonly parts: RegistrationParts) {}

  /**
   * Updates the visitor with this token, or creates it. Concurrent first
   * registrations of one token meet at the unique token index: the losers
   * retry as updates, so all of them answer the same visitor.
   */
  async register (input: TokenRegistration, connection?: ConnectionInfo): Promise<RegisteredVisitor> {
    if (input.username && isReservedUsername(input.username, this.parts.systemUsername)) throw new InvalidUsernameError()
    const identity = input.identity === undefined ? undefined : verifiedIdentity(this.parts.identity.secret, input.identity)
    const change: Required<VisitorChange> = {
      registration: { ...await this.registrationFields(input), ...(identity !== undefined && { identity }) },
      customFields: (await this.parts.customFields.resolve(input.customFields, REGISTRATION_RULES)).visitor
    }
    for (let attempt = 0; attempt < MAX_REGISTRATION_ATTEMPTS; attempt++) {
      const registered = await this.attempt(input, change, connection)
      if (registered !== null) return registered
    }
    throw new RegistrationConflictError()
  }

  /**
   * One try: null when a concurrent registration took the token, the guest name or (a verified
   * one) the user's identity first, and the next try will see it.
   */
  private async attempt (input: TokenRegistration, change: Required<VisitorChange>, connection?: ConnectionInfo): Promise<RegisteredVisitor | null> {
    const { identity } = change.registration
    try {
      if (identity !== undefined) await claimToken(this.parts.identity, input.token, identity)
      const updated = await this.parts.visitors.update(input.token, change)
      if (updated !== null) return { visitor: updated, created: false }
    } catch (error) {
      if (identity !== undefined && isDuplicateKeyError(error)) return null
      throw error
    }
    // An empty string means "not sent", as in Rocket.Chat.
    const created = await this.tryCreate(input.token, change, input.username || undefined, connection)
    return created === null ? null : { visitor: created, created: true }
  }

  private async registrationFields (input: VisitorInput): Promise<RegistrationFields> {
    // An empty string means "not sent", as in Rocket.Chat.
    const fields: RegistrationFields = {}
    if (input.name) fields.name = input.name
    if (input.email) fields.email = input.email
    if (input.phone) fields.phone = input.phone
    if (input.department) fields.department = await this.departmentId(input.department)
    return fields
  }

  private async departmentId (idOrName: PlainText) {
    const id = await findDepartmentId(this.parts.departments, idOrName)
    if (id === null) throw new InvalidDepartmentError()
    return id
  }

  /** The new visitor, or null when a concurrent registration took its token or guest name first. */
  private async tryCreate (token: Token, change: Required<VisitorChange>, chosenUsername: PlainText | undefined, connection?: ConnectionInfo) {
    const { visitors, guestCounter, collectHttpHeaders } = this.parts
    const username: NewUsername = chosenUsername !== undefined ? { chosen: chosenUsername } : { guestNumber: await guestCounter.next() }
    const created = await visitors.insert(token, change, username, collectHttpHeaders && connection !== undefined ? storableConnection(connection) : undefined)
    if (created === null && chosenUsername !== undefined && !await this.lostToConcurrentRegistration(token, change.registration.identity)) {
      throw new InvalidUsernameError()
    }
    return created
  }

  /** Whether a concurrent registration (of the token, or of the identity) refused the insert, rather than the chosen username. */
  private async lostToConcurrentRegistration (token: Token, identity: VerifiedIdentity | undefined): Promise<boolean> {
    if (await this.parts.visitors.hasToken(token)) return true
    return identity !== undefined && await this.parts.visitors.findVerifiedAs(identity.userId) !== null
  }
}
