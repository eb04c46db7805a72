import type { TSchema } from '@sinclair/typebox'
import { ErrorEnvelope } from '../../schemas/shared.js'
import { ERROR_CATALOGUE, type AnsweredBy } from '../errors.js'

/** A route's kind, for the errors it can answer: whether it reads a body (not a GET), whether it is an agent's. */
export interface RouteKind {
  readsBody: boolean
  agent: boolean
}

export const VISITOR_GET: RouteKind = { readsBody: false, agent: false }
export const VISITOR_WITH_BODY: RouteKind = { readsBody: true, agent: false }
export const AGENT_GET: RouteKind = { readsBody: false, agent: true }
export const AGENT_WITH_BODY: RouteKind = { readsBody: true, agent: true }

/** The statuses of the catalogue's errors that a route of this kind can answer, in order. */
export function errorStatuses ({ readsBody, agent }: RouteKind): number[] {
  const answered = new Set<AnsweredBy>(['every route'])
  if (readsBody) answered.add('POST and DELETE routes')
  if (agent) answered.add('agent routes')
  const statuses = ERROR_CATALOGUE.filter(entry => answered.has(entry.answeredBy)).map(entry => entry.statusCode)
  return [...new Set(statuses)].sort((a, b) => a - b)
}

/**
 * The route's schema, documenting the error envelope for every error status a route of its kind
 * can answer. Its type stays the success schema's: the error handler sends errors, handlers never return one.
 */
export function documented<S extends { response: Record<number, TSchema> }> (schema: S, kind: RouteKind): S {
  const errors = Object.fromEntries(errorStatuses(kind).map(status => [status, ErrorEnvelope]))
  return { ...schema, response: { ...schema.response, ...errors } }
}
