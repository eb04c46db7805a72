import { setTimeout } from 'node:timers/promises'
import type { Collection, Db } from 'mongodb'
import { GUEST_COUNTER_ID } from '../../lib/store/guest-counter.js'

type Method = keyof Collection
type AnyFunction = (...args: never[]) => unknown

/** A promise that never settles: a call the database never answers. */
export const neverAnswered = () => new Promise<never>(() => {})

// The methods that return a cursor, read with toArray.
const CURSOR_METHODS = new Set<PropertyKey>(['find', 'aggregate'])

/** The real database, with each collection's property reads going through `get`. */
function withCollections (db: Db, get: (collection: Collection, property: PropertyKey) => unknown): Db {
  return new Proxy(db, {
    get (target, property) {
      if (property !== 'collection') return Reflect.get(target, property)
      return (name: string) => new Proxy(target.collection(name), { get })
    }
  })
}

/**
 * The real database, with one collection method replaced: for the server
 * behaviours FerretDB cannot show (a TTL index) and for failures on demand.
 */
export function withCollectionMethod (db: Db, method: Method, replace: (original: AnyFunction) => AnyFunction): Db {
  return withCollections(db, (collection, property) => {
    if (property === method) return replace((collection[method] as AnyFunction).bind(collection))
    const value = Reflect.get(collection, property)
    return typeof value === 'function' ? value.bind(collection) : value
  })
}

/** The real database, with no collection call ever answered: a database that has stopped answering. */
export function withEveryCallHanging (db: Db): Db {
  return withCollections(db, (collection, property) => {
    const value = Reflect.get(collection, property)
    if (typeof value !== 'function') return value
    return CURSOR_METHODS.has(property) ? () => ({ toArray: neverAnswered }) : neverAnswered
  })
}

/**
 * The real database, with the guest counter's first increment answered by `firstIncrement` once
 * `queued` registrations have had their update find no visitor. Each asks for its number right
 * after that, before any timer runs: by then all but the first are queued behind this increment.
 * Later increments reach the database; `calls.increments` counts them all.
 */
export function withFirstGuestIncrementAfter (db: Db, queued: number, firstIncrement: () => Promise<unknown>) {
  const calls = { visitorUpdates: 0, increments: 0 }
  const faulty = withCollectionMethod(db, 'findOneAndUpdate', original => async (...args: never[]) => {
    const [filter] = args as Array<{ _id?: unknown }>
    if (filter._id !== GUEST_COUNTER_ID) {
      const visitor = await original(...args)
      calls.visitorUpdates++
      return visitor
    }
    if (calls.increments++ > 0) return original(...args)
    while (calls.visitorUpdates < queued) await setTimeout(5)
    return firstIncrement()
  })
  return { db: faulty, calls }
}
