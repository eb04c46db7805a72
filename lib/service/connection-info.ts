import { isIP } from 'node:net'
import { wellFormedCharacter } from '../../schemas/shared.js'
import type { ConnectionInfo } from '../store/visitors.js'

/** The longest user agent or host stored, in characters. */
export const MAX_STORED_HEADER_LENGTH = 512

const STORABLE_HEADER = new RegExp(`^${wellFormedCharacter()}{1,${MAX_STORED_HEADER_LENGTH}}$`)

function storableHeader (value: unknown): string | undefined {
  return typeof value === 'string' && STORABLE_HEADER.test(value) ? value : undefined
}

/**
 * The connection details a new visitor keeps, bounded and clean as every other stored string: a user
 * agent or host longer than 512 characters, or holding a control or bidirectional character, is not
 * stored, nor an IP that is not an address (behind a trusted proxy it is what X-Forwarded-For says).
 */
export function storableConnection ({ userAgent, ip, host }: ConnectionInfo): ConnectionInfo {
  return {
    userAgent: storableHeader(userAgent),
    host: storableHeader(host),
    ip: typeof ip === 'string' && isIP(ip) !== 0 ? ip : undefined
  }
}
