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
