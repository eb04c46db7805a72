import type { Collection, Db } from 'mongodb'

type Method = keyof Collection

/**
 * The real database, with one collection method replaced: for the server
 * behaviours FerretDB cannot show (a TTL index) and for failures on demand.
 */
export function withCollectionMethod (db: Db, method: Method, replace: (original: (...args: never[]) => unknown) => (...args: never[]) => unknown): Db {
  return new Proxy(db, {
    get (target, property) {
      if (property !== 'collection') return Reflect.get(target, property)
      return (name: string) => {
        const collection = target.collection(name)
        const original = (collection[method] as (...args: never[]) => unknown).bind(collection)
        return new Proxy(collection, {
          get (c, p) {
            if (p === method) return replace(original)
            const value = Reflect.get(c, p)
            return typeof value === 'function' ? value.bind(c) : value
          }
        })
      }
    }
  })
}
