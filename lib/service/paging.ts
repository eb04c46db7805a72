import { DEFAULT_PAGE_COUNT, MAX_PAGE_COUNT } from '../../schemas/agent.js'
import type { Page } from '../store/paging.js'

/** Rocket.Chat's paging: no count, or 0, is the default count; one above the upper limit is lowered to it, not refused. */
export function pageOf (count: number | undefined, offset: number | undefined): Page {
  const asked = count === undefined || count === 0 ? DEFAULT_PAGE_COUNT : count
  return { count: Math.min(asked, MAX_PAGE_COUNT), offset: offset ?? 0 }
}
