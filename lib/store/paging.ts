import type { Document, Filter, FindOptions } from 'mongodb'
import type { BoundedCollection } from './bounded-collection.js'

/** Which slice of a list an agent asked for. */
export interface Page {
  count: number
  offset: number
}

/** One slice of a list, and how long the whole list is. */
export interface PageOf<T> {
  items: T[]
  total: number
}

/**
 * The sort an agent chose, else the default; `_id` last keeps pages apart among equal values,
 * unless the sort is by `_id` itself.
 */
export function orderOf<S extends Record<string, 1 | -1 | undefined>> (sort: S, fallback: Record<string, 1 | -1>): Record<string, 1 | -1> {
  if (Object.keys(sort).length === 0) return { ...fallback, _id: 1 }
  return { ...sort, _id: sort._id ?? 1 } as Record<string, 1 | -1>
}

/** One page of a query's results, and the count of all of them. */
export async function findPage<T extends Document> (
  collection: BoundedCollection,
  filter: Filter<Document>,
  { projection, sort }: Pick<FindOptions, 'projection' | 'sort'>,
  { count, offset }: Page
): Promise<PageOf<T>> {
  const [items, total] = await Promise.all([
    collection.findMany<T>(filter, { projection, sort, skip: offset, limit: count }),
    collection.countDocuments(filter)
  ])
  return { items, total }
}
