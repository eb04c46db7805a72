import type { FastifyBaseLogger } from 'fastify'
import type { Unchecked } from '../../schemas/checked.js'
import type { RecordedPage } from '../../schemas/page-visited.js'
import type { PublicVisitor } from '../../schemas/visitor.js'

/** An erased visitor: its id, and when it was erased. */
export interface ErasedVisitor {
  _id: string
  ts: Date
}

/** An erasure refused for an open room, recorded to be completed once the visitor's rooms are all closed. */
export interface PendingErasure {
  _id: string
  requestedAt: Date
}

/** What the service tells its listeners, each after its write succeeded. */
export interface LivechatEvents {
  /** A visitor was registered: created, or updated by a repeated registration. */
  visitorRegistered: { visitor: PublicVisitor, created: boolean }
  /** A visitor's status or custom fields changed; `visitor` is the visitor after the change. */
  visitorUpdated: { visitor: PublicVisitor }
  /** A visitor was erased; only its id remains. */
  visitorErased: ErasedVisitor
  /** An erasure was refused for an open room; the plugin completes it once the visitor's rooms are all closed. */
  visitorErasurePending: PendingErasure
  /** A page visit was stored in the navigation history. */
  pageVisited: { token: string, rid?: string, page: Unchecked<RecordedPage> }
}

export type LivechatEventName = keyof LivechatEvents
export type LivechatListener<E extends LivechatEventName> = (event: LivechatEvents[E]) => unknown

/**
 * A typed event emitter whose listeners cannot break the request that fired
 * the event: what a listener throws or rejects is logged, not propagated.
 */
export class LivechatEventEmitter {
  private readonly listeners = new Map<LivechatEventName, Set<LivechatListener<never>>>()

  constructor (private readonly log: FastifyBaseLogger) {}

  on<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): () => void {
    const listeners = this.listeners.get(name) ?? new Set()
    listeners.add(listener as LivechatListener<never>)
    this.listeners.set(name, listeners)
    return () => this.off(name, listener)
  }

  off<E extends LivechatEventName> (name: E, listener: LivechatListener<E>): void {
    this.listeners.get(name)?.delete(listener as LivechatListener<never>)
  }

  /** Listeners get a copy: what they change never reaches the answer of the request. */
  emit<E extends LivechatEventName> (name: E, event: LivechatEvents[E]): void {
    const listeners = this.listeners.get(name)
    if (listeners === undefined || listeners.size === 0) return
    const copy = structuredClone(event)
    for (const listener of listeners) {
      try {
        Promise.resolve((listener as LivechatListener<E>)(copy)).catch(error => this.reportListenerError(name, error))
      } catch (error) {
        this.reportListenerError(name, error)
      }
    }
  }

  private reportListenerError (name: LivechatEventName, error: unknown): void {
    this.log.error({ err: error, event: name }, 'livechat: an event listener failed')
  }
}
