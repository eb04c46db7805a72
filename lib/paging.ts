import type { Collection, Document, Filter, FindOptions } from 'mongodb'

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

export const DEFAULT_PAGE_COUNT = 50
export const MAX_PAGE_COUNT = 100

/** Rocket.Chat's paging: a count above the upper limit is lowered to it, not refused. */
export function pageOf (count: number | undefined, offset: number | undefined): Page {
  return { count: Math.min(count ?? DEFAULT_PAGE_COUNT, MAX_PAGE_COUNT), offset: offset ?? 0 }
}

/** One page of a query's results, and the count of all of them. */
export async function findPage<T extends Document> (
  collection: Collection<Document>,
  filter: Filter<Document>,
  { projection, sort }: Pick<FindOptions, 'projection' | 'sort'>,
  { count, offset }: Page
): Promise<PageOf<T>> {
  const [items, total] = await Promise.all([
    collection.find<T>(filter, { projection, sort, skip: offset, limit: count }).toArray(),
    collection.countDocuments(filter)
  ])
  return { items, total }
}
