import type { PageOf } from '../store/paging.js'

/** Rocket.Chat's paged answer: the items under their name, how many there are here, where they start, and the total. */
export function pagedAnswer<K extends string, T> (name: K, { items, total }: PageOf<T>, offset: number) {
  const paging = { count: items.length, offset, total, success: true as const }
  return { [name]: items, ...paging } as Record<K, T[]> & typeof paging
}
