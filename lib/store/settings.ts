import type { BoundedCollection } from './bounded-collection.js'
import { asId } from './collections.js'

/** Rocket.Chat's setting that marks new messages `unread` for its read receipts. */
const READ_RECEIPTS_SETTING = 'Message_Read_Receipt_Enabled'

/** Rocket.Chat's settings, as the plugin reads them: `{_id: <name>, value}` in the settings collection. */
export class SettingStore {
  constructor (private readonly settings: BoundedCollection) {}

  /** Whether Rocket.Chat's read receipts are on: only then does it mark a room's messages unread. */
  async readReceiptsEnabled (): Promise<boolean> {
    const setting = await this.settings.findOne<{ value?: unknown }>({ _id: asId(READ_RECEIPTS_SETTING) }, { projection: { value: 1 } })
    return setting?.value === true
  }
}
