import type { FastifyRequest } from 'fastify'
import { ForbiddenError, UnauthorizedError } from '../errors.js'
import type { AgentPermission, AuthorizeAgent } from '../options.js'

/**
 * The agent routes' gate: the host's hook decides, and without a hook nobody
 * passes. Only an explicit "granted" opens it; "unauthenticated" is a 401 and
 * any other answer a 403.
 */
export function requirePermission (authorize: AuthorizeAgent | undefined, permission: AgentPermission) {
  return async function checkAgentPermission (request: FastifyRequest): Promise<void> {
    const access = authorize === undefined ? 'unauthenticated' : await authorize(request, permission)
    if (access === 'unauthenticated') throw new UnauthorizedError()
    if (access !== 'granted') throw new ForbiddenError()
  }
}
