import type { Document } from 'mongodb'
import type { MessageId, PlainText, RoomId } from '../../schemas/checked.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId } from './collections.js'
import { contains } from './text-patterns.js'

/** Rocket.Chat's message that closes a livechat room. */
export interface ClosingMessage {
  _id: string
  rid: string
  msg?: string
  ts?: Date
  u?: { _id?: string, username?: string }
}

/** The `t` of the message that a livechat video call posts in its room. */
export const VIDEO_CALL_MESSAGE_TYPE = 'livechat_webrtc_video_call'

/** Who ends a call: the visitor, as Rocket.Chat's `editedBy`. */
export interface CallEditor {
  _id: string
  username?: string
}

/** The messages collection, beyond the navigation history: what agents search, and a room's video calls. */
export class MessageStore {
  constructor (private readonly messages: BoundedCollection) {}

  /**
   * Which of these rooms hold a message with the text, letter case as written (Rocket.Chat's
   * search). Rocket.Chat's index `{rid: 1, ts: 1, _updatedAt: 1}` narrows it to these rooms'
   * messages; the text is matched literally.
   */
  async roomsHolding (text: PlainText, rids: Array<Document['_id']>): Promise<Array<Document['_id']>> {
    return this.messages.distinct('rid', { rid: { $in: rids }, msg: contains(text, { caseSensitive: true }) }) as Promise<Array<Document['_id']>>
  }

  /** The closing message of each of these rooms that has one. */
  async closingMessagesOf (rids: Array<Document['_id']>): Promise<ClosingMessage[]> {
    return this.messages.findMany<ClosingMessage>({ rid: { $in: rids }, t: 'livechat-close' }, { projection: { _id: 1, rid: 1, msg: 1, ts: 1, u: 1 } })
  }

  /**
   * Marks the room's call message ended or declined, as Rocket.Chat's updateCallStatus edits it
   * (`msg`, no action links, `webRtcCallEndTs`, `editedAt`, `editedBy`); false when the room has no
   * call message of this id.
   */
  async endCall (rid: RoomId, callId: MessageId, status: PlainText, editor: CallEditor): Promise<boolean> {
    const now = new Date()
    const result = await this.messages.updateOne(
      { _id: asId(callId), rid, t: VIDEO_CALL_MESSAGE_TYPE },
      { $set: { msg: status, actionLinks: [], webRtcCallEndTs: now, editedAt: now, editedBy: editor, _updatedAt: now } }
    )
    return result.matchedCount > 0
  }
}
