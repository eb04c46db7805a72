import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Token } from '../../schemas/checked.js'
import type { IdentityInput } from '../../schemas/visitor.js'
import { IdentityNotEnabledError, InvalidIdentityError } from '../errors.js'
import { moveTokenReferences, type TokenReferences } from '../store/token-references.js'
import type { IdentityHolder, VerifiedIdentity, VisitorStore } from '../store/visitors.js'

/** What verifying an identity reads and moves. */
export interface IdentityParts {
  visitors: VisitorStore
  references: TokenReferences
  /** The host's key; undefined when the host verifies no identity. */
  secret: Buffer | undefined
}

/** Checks the host's HMAC of the user id, in constant time; throws before anything is written. */
export function verifiedIdentity (secret: Buffer | undefined, { userId, hash }: IdentityInput): VerifiedIdentity {
  if (secret === undefined) throw new IdentityNotEnabledError()
  const expected = createHmac('sha256', secret).update(userId).digest()
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) throw new InvalidIdentityError()
  return { userId, verifiedAt: new Date() }
}

function sameVisitor (a: IdentityHolder, b: IdentityHolder): boolean {
  return String(a._id) === String(b._id)
}

/**
 * Makes the presented token the one of the user's visitor, before the registration writes the
 * identity on it. The user's visitor moves to the token, its rooms and history with it, and its
 * old token stops working. Another visitor holding the token (one not yet verified on this
 * device, or another user's) lets it go for a new random token that nobody holds: it keeps its
 * data, for agents, and no one can read it with the presented token.
 */
export async function claimToken (parts: IdentityParts, token: Token, identity: VerifiedIdentity): Promise<void> {
  const [owner, holder] = await Promise.all([parts.visitors.findVerifiedAs(identity.userId), parts.visitors.findHolderOf(token)])
  if (owner !== null && holder !== null && sameVisitor(owner, holder)) return
  // Without an owner, a holder verified at all is another user's.
  const holderIsSomeoneElse = holder !== null && (owner !== null || holder.identity !== undefined)
  if (holderIsSomeoneElse) await moveVisitor(parts, holder, randomBytes(16).toString('hex') as Token, { roomless: false })
  if (owner !== null) await moveVisitor(parts, owner, token, { roomless: true })
}

/**
 * References first, the visitor's token last: a move of the user's visitor that fails halfway is
 * finished by the next registration with the identity.
 */
async function moveVisitor (parts: IdentityParts, visitor: IdentityHolder, to: Token, options: { roomless: boolean }): Promise<void> {
  await moveTokenReferences(parts.references, visitor._id, visitor.token, to, options)
  await parts.visitors.replaceToken(visitor._id, visitor.token, to)
}
