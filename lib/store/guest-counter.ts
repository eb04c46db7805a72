import type { Document } from 'mongodb'
import type { BoundedCollection } from './bounded-collection.js'
import { asId } from './collections.js'
import { isDuplicateKeyError } from './database-errors.js'

/** Rocket.Chat's setting that numbers guests (guest-1, guest-2, ...), in the settings collection. */
export const GUEST_COUNTER_ID = 'Livechat_guest_count'

/**
 * Hands out guest numbers from Rocket.Chat's counter setting with $inc. MongoDB
 * applies $inc atomically; FerretDB 1.24 does not (concurrent increments are
 * lost), so calls from one process are queued. Across processes, the unique
 * username index turns a repeated number into a retry, never a duplicate.
 */
export class GuestCounter {
  private queue: Promise<unknown> = Promise.resolve()
  private issued = 0
  /** An increment's failure, answered to every call that was queued behind it when it failed. */
  private failure: { error: unknown, failsTicketsBelow: number } | undefined

  constructor (private readonly settings: BoundedCollection) {}

  next (): Promise<number> {
    const ticket = this.issued++
    const result = this.queue.then(() => this.takeTurn(ticket))
    this.queue = result.catch(() => undefined)
    return result
  }

  /**
   * When the database fails one increment, the calls waiting behind it fail at
   * once with the same error: each would otherwise wait out its own server
   * selection, one after another, and the last would answer far past the bound.
   */
  private async takeTurn (ticket: number): Promise<number> {
    if (this.failure !== undefined) {
      if (ticket < this.failure.failsTicketsBelow) throw this.failure.error
      this.failure = undefined
    }
    try {
      return await this.increment()
    } catch (error) {
      this.failure = { error, failsTicketsBelow: this.issued }
      throw error
    }
  }

  private async increment (): Promise<number> {
    try {
      return await this.incrementOnce()
    } catch (error) {
      // Two processes creating the counter at once: one upsert wins and the other meets its _id.
      // The document exists now, so the increment is retried once.
      if (!isDuplicateKeyError(error)) throw error
      return this.incrementOnce()
    }
  }

  private async incrementOnce (): Promise<number> {
    const counter = await this.settings.findOneAndUpdate(
      { _id: asId(GUEST_COUNTER_ID) },
      { $inc: { value: 1 } },
      { upsert: true, returnDocument: 'after' }
    )
    return (counter as Document).value as number
  }
}
