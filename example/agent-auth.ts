import { createHash, timingSafeEqual } from 'node:crypto'
import type { AuthorizeAgent } from '../lib/index.js'

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/**
 * The example app's agent login, for trying the agent routes: a request with
 * `Authorization: Bearer <agentToken>` is an agent with every permission,
 * anything else is unauthenticated. A real host checks its own users here.
 */
export function bearerTokenAuthorization (agentToken: string): AuthorizeAgent {
  const expected = digest(`Bearer ${agentToken}`)
  return request => timingSafeEqual(digest(request.headers.authorization ?? ''), expected) ? 'granted' : 'unauthenticated'
}
