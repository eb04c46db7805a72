import { DEFAULT_PAGE_COUNT, MAX_PAGE_COUNT } from '../../schemas/agent.js'
import type { Page } from '../store/paging.js'

/** Rocket.Chat's paging: a count above the upper limit is lowered to it, not refused. */
export function pageOf (count: number | undefined, offset: number | undefined): Page {
  return { count: Math.min(count ?? DEFAULT_PAGE_COUNT, MAX_PAGE_COUNT), offset: offset ?? 0 }
}
