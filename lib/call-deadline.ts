import type { Collection, Document } from 'mongodb'
import { DatabaseTimeoutError } from './errors.js'
import type { LivechatCollections } from './collections.js'

/**
 * Where each collection method the plugin calls takes its options. A call of one of these
 * gets the deadline; anything else on a collection is read as it is.
 */
const OPTIONS_ARGUMENT: ReadonlyMap<PropertyKey, number> = new Map([
  ['findOne', 1],
  ['find', 1],
  ['countDocuments', 1],
  ['insertOne', 1],
  ['deleteMany', 1],
  ['findOneAndUpdate', 2],
  ['updateOne', 2],
  ['updateMany', 2],
  ['replaceOne', 2]
])

/**
 * The collections with a deadline on every call: a call the database has not answered within
 * `ms`, waiting for a server and a pooled connection included, fails with LIVECHAT_DATABASE_TIMEOUT.
 * The driver (7.9) cannot bound every wait itself: a write on a connection whose socket a
 * restarting server has just destroyed waits forever (README, Reliability). The call's AbortSignal
 * also cancels it in the driver, which frees its connection and keeps a call still waiting for a
 * server from reaching the database late; the answer does not depend on that (the driver types
 * the signal for reads only).
 */
export function withCallDeadline (collections: LivechatCollections, ms: number): LivechatCollections {
  const bounded = {} as LivechatCollections
  for (const [key, collection] of Object.entries(collections) as Array<[keyof LivechatCollections, Collection<Document>]>) {
    bounded[key] = collectionWithCallDeadline(collection, ms)
  }
  return bounded
}

/** One collection with a deadline on every call, as withCallDeadline gives each. */
export function collectionWithCallDeadline (collection: Collection<Document>, ms: number): Collection<Document> {
  return new Proxy(collection, {
    get (target, property) {
      const method: unknown = Reflect.get(target, property)
      const optionsAt = OPTIONS_ARGUMENT.get(property)
      if (optionsAt === undefined) return method
      return (...args: unknown[]) => {
        const deadline = new CallDeadline(target, property, ms)
        args[optionsAt] = { ...(args[optionsAt] as Document | undefined), signal: deadline.signal }
        return deadline.bound(Reflect.apply(method as (...args: unknown[]) => unknown, target, args))
      }
    }
  })
}

class CallDeadline {
  private readonly controller = new AbortController()
  readonly signal = this.controller.signal

  constructor (
    private readonly collection: Collection<Document>,
    private readonly method: PropertyKey,
    private readonly ms: number
  ) {}

  /** A promise gets the deadline; a cursor (find) gets it on toArray, the one way the plugin reads a cursor. */
  bound (result: unknown): unknown {
    if (result instanceof Promise) return this.race(result)
    const cursor = result as { toArray: () => Promise<unknown> }
    const toArray = cursor.toArray.bind(cursor)
    cursor.toArray = () => this.race(toArray())
    return cursor
  }

  private race<T> (pending: Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.expire(reject), this.ms)
      pending.then(
        value => { clearTimeout(timer); resolve(value) },
        (error: unknown) => { clearTimeout(timer); reject(error) }
      )
    })
  }

  private expire (reject: (error: Error) => void): void {
    // Named here rather than per call: only a call past its deadline needs its name.
    const error = new DatabaseTimeoutError(`${this.collection.collectionName}.${String(this.method)}`, this.ms)
    this.controller.abort(error)
    reject(error)
  }
}
