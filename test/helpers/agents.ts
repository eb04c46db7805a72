import type { AuthorizeAgent } from '../../lib/index.js'

/** The permissions of the test agents, by bearer token: `agent` views rooms, `manager` manages livechat too. */
const PERMISSIONS: Record<string, string[]> = { agent: ['view-l-room'], manager: ['view-l-room', 'view-livechat-manager'] }

/** A host's hook for the test agents: no bearer is unauthenticated, a bearer without the permission denied. */
export const authorizeTestAgents: AuthorizeAgent = (request, permission) => {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  if (bearer === undefined) return 'unauthenticated'
  return PERMISSIONS[bearer]?.includes(permission) ? 'granted' : 'denied'
}

export const UNAUTHENTICATED_ANSWER = { success: false, error: 'You must be logged in to do this.', errorType: 'unauthorized' }
export const FORBIDDEN_ANSWER = {
  success: false,
  error: 'User does not have the permissions required for this action [error-unauthorized]',
  errorType: 'error-unauthorized'
}
