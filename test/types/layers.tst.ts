import { expect, test } from 'tstyche'
import type { BoundedCollection } from '../../lib/store/bounded-collection.js'
import type { HistoryStore } from '../../lib/store/history.js'
import type { RoomStore } from '../../lib/store/rooms.js'
import type { VisitorStore } from '../../lib/store/visitors.js'
import type { LivechatUseCases } from '../../lib/service/use-cases.js'
import type { CustomFieldKey, PlainText, RoomId, Token, VisitorId } from '../../schemas/checked.js'

declare const visitors: VisitorStore
declare const rooms: RoomStore
declare const history: HistoryStore
declare const useCases: LivechatUseCases
declare const collection: BoundedCollection
declare const token: Token
declare const roomId: RoomId
const page = { count: 10, offset: 0 }

test('the stores take checked values only: a plain string is a type error', () => {
  expect(visitors.findByToken).type.toBeCallableWith(token)
  expect(visitors.findByToken).type.not.toBeCallableWith('plain')
  expect(visitors.findEnabledById).type.toBeCallableWith('v' as VisitorId)
  expect(visitors.findEnabledById).type.not.toBeCallableWith('v')
  expect(visitors.search).type.toBeCallableWith('term' as PlainText, ['address' as CustomFieldKey], {}, page)
  expect(visitors.search).type.not.toBeCallableWith('term', [], {}, page)
  expect(visitors.search).type.not.toBeCallableWith('term' as PlainText, ['a.b'], {}, page)
  expect(visitors.setStatus).type.not.toBeCallableWith('t', 'away')
  expect(visitors.update).type.not.toBeCallableWith(token, { registration: { name: 'plain' }, customFields: { overwrite: new Map(), fillMissing: new Map() } })
  expect(visitors.update).type.not.toBeCallableWith(token, { customFields: { overwrite: new Map([['key', 'value']]), fillMissing: new Map() } })
  expect(rooms.isVisitorRoom).type.toBeCallableWith(roomId, token)
  expect(rooms.isVisitorRoom).type.not.toBeCallableWith('r', token)
  expect(rooms.setVisitorStatus).type.not.toBeCallableWith('t', 'away')
  expect(history.attachToRoom).type.not.toBeCallableWith(token, 'r')
  expect(history.insert).type.not.toBeCallableWith({ token, page: { change: 'url', title: 't', location: { href: 'https://a.example/' } } })
})

test('so do the use cases, behind the routes\' validator', () => {
  expect(useCases.findVisitorByToken).type.not.toBeCallableWith('plain')
  expect(useCases.registerVisitor).type.not.toBeCallableWith({ token: 'plain' })
  expect(useCases.searchVisitors).type.not.toBeCallableWith('term', {}, page)
})

test('a store\'s collection has the bounded methods only: no call escapes the deadline', () => {
  expect<keyof BoundedCollection>().type.toBe<
    'findOne' | 'findMany' | 'distinct' | 'countDocuments' | 'insertOne' | 'findOneAndUpdate' | 'updateOne' | 'updateMany' | 'deleteMany' | 'deadlineMs'
  >()
  expect(collection).type.not.toHaveProperty('find')
  expect(collection).type.not.toHaveProperty('aggregate')
  expect(collection).type.not.toHaveProperty('insertMany')
  expect(collection).type.not.toHaveProperty('bulkWrite')
})
