import type { AutocompleteItem, AutocompleteSelector, ChatSearch, HistoryRoom, HistorySort } from '../../schemas/agent.js'
import type { PlainText, RoomId, VisitorId } from '../../schemas/checked.js'
import { RoomNotFoundError } from '../errors.js'
import type { MessageStore } from '../store/messages.js'
import type { Page, PageOf } from '../store/paging.js'
import type { RoomStore } from '../store/rooms.js'
import type { VisitorStore } from '../store/visitors.js'

/** What an agent looks up about a visitor beside a chat: the visitor by name, its past chats. */
export interface ChatHistoryUseCases {
  /** Up to 10 enabled visitors whose name starts with the term, by name, but the excepted ones. */
  autocompleteVisitors (selector: AutocompleteSelector): Promise<AutocompleteItem[]>
  /** The visitor's livechat rooms, newest first; `invalid-room` when the room `roomId` does not exist. */
  findChatHistory (roomId: RoomId, visitorId: VisitorId, sort: HistorySort, page: Page): Promise<PageOf<HistoryRoom>>
  /** The visitor's rooms that meet the search, with their closing message; `invalid-room` as findChatHistory. */
  searchChats (roomId: RoomId, visitorId: VisitorId, search: ChatSearch, sort: HistorySort, page: Page): Promise<PageOf<HistoryRoom>>
}

export interface ChatHistoryParts {
  visitors: VisitorStore
  rooms: RoomStore
  messages: MessageStore
}

export function createChatHistoryUseCases ({ visitors, rooms, messages }: ChatHistoryParts): ChatHistoryUseCases {
  async function assertRoomExists (roomId: RoomId): Promise<void> {
    if (!await rooms.isLivechatRoom(roomId)) throw new RoomNotFoundError()
  }

  async function withClosingMessages (found: PageOf<HistoryRoom>): Promise<PageOf<HistoryRoom>> {
    const closing = await messages.closingMessagesOf(found.items.map(room => room._id))
    const byRoom = new Map(closing.map(({ rid, ...message }) => [rid, message]))
    return { ...found, items: found.items.map(room => byRoom.has(room._id) ? { ...room, closingMessage: byRoom.get(room._id) } : room) }
  }

  return {
    // Rocket.Chat trims the term; a trimmed checked text is still checked text.
    autocompleteVisitors: ({ term, exceptions = [] }) => visitors.autocomplete(term.trim() as PlainText, exceptions),
    async findChatHistory (roomId, visitorId, sort, page) {
      await assertRoomExists(roomId)
      return rooms.historyOf(visitorId, {}, sort, page)
    },
    async searchChats (roomId, visitorId, { searchText, ...criteria }, sort, page) {
      await assertRoomExists(roomId)
      const holding = searchText === undefined || searchText === ''
        ? undefined
        : await messages.roomsHolding(searchText, await rooms.newestIdsOf(visitorId, criteria))
      return withClosingMessages(await rooms.historyOf(visitorId, criteria, sort, page, holding))
    }
  }
}
