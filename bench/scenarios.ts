import type { Request } from 'autocannon'
import { seededToken } from './dataset.js'

export type Variant = 'plugin' | 'ceiling'
export const VARIANTS: readonly Variant[] = ['plugin', 'ceiling']

/** The plugin under the prefix the host mounts it at, and the ceiling's bare routes beside it. */
const PREFIX: Record<Variant, string> = { plugin: '/api/v1', ceiling: '/ceiling' }

export interface Scenario {
  id: string
  title: string
  /** The throughput ratio plugin / ceiling the issue asks for. */
  throughputTarget: number
  /** Whether its runs add documents that must be removed before the next run. */
  writes: boolean
  /**
   * A request generator for autocannon: each call gives the next request. The
   * visitors it picks depend on `round` only, so that plugin and ceiling runs
   * of one round look up the same visitors in the same order.
   */
  nextRequest (variant: Variant, visitorCount: number, round: number): () => Request
}

/** A small seeded generator (mulberry32) of seeded visitors' tokens. */
function tokenPicker (visitorCount: number, round: number): () => string {
  let state = (round + 1) * 0x9E3779B9
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    const fraction = ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
    return seededToken(Math.floor(fraction * visitorCount))
  }
}

function postJson (path: string, body: unknown): Request {
  return { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/** A scenario's requests, each about one seeded visitor picked for the round. */
function perSeededVisitor (request: (prefix: string, token: string) => Request): Scenario['nextRequest'] {
  return (variant, visitorCount, round) => {
    const nextToken = tokenPicker(visitorCount, round)
    return () => request(PREFIX[variant], nextToken())
  }
}

let newVisitorSerial = 0

export const GET_VISITOR: Scenario = {
  id: 'get-visitor',
  title: 'GET visitor by token',
  throughputTarget: 0.9,
  writes: false,
  nextRequest: perSeededVisitor((prefix, token) => ({ method: 'GET', path: `${prefix}/livechat/visitor/${token}` }))
}

const UPDATE_VISITOR: Scenario = {
  id: 'update-visitor',
  title: 'POST visitor (update)',
  throughputTarget: 0.85,
  writes: false,
  nextRequest: perSeededVisitor((prefix, token) => postJson(`${prefix}/livechat/visitor`, {
    visitor: { token, name: 'Returning visitor', email: 'returning@example.com' }
  }))
}

const PAGE_VISITED: Scenario = {
  id: 'page-visited',
  title: 'POST page.visited',
  throughputTarget: 0.85,
  writes: true,
  nextRequest: perSeededVisitor((prefix, token) => postJson(`${prefix}/livechat/page.visited`, {
    token,
    rid: null,
    pageInfo: { change: 'url', title: 'Pricing', location: { href: 'https://example.com/pricing?plan=team' } }
  }))
}

const REGISTER_VISITOR: Scenario = {
  id: 'register-visitor',
  title: 'POST visitor (new)',
  throughputTarget: 0.85,
  writes: true,
  nextRequest: variant => () => postJson(`${PREFIX[variant]}/livechat/visitor`, {
    visitor: { token: `bench-new-${process.pid}-${++newVisitorSerial}`, name: 'New visitor', email: 'new@example.com' }
  })
}

export const ROUTE_SCENARIOS: readonly Scenario[] = [GET_VISITOR, UPDATE_VISITOR, PAGE_VISITED, REGISTER_VISITOR]
