import { expect, test } from 'tstyche'
import Fastify, { type FastifyError } from 'fastify'
import type { FastifyErrorConstructor } from '@fastify/error'
import type { Db, MongoClientOptions } from 'mongodb'
import livechat, {
  errors, livechatFrameworkErrors, livechatNotFoundHandler, livechatRequestSerializer, RECOMMENDED_CLIENT_OPTIONS,
  type ErasedVisitor, type PendingErasure, type LivechatOptions, type PageInfo, type LivechatService, type PublicVisitor, type RecordedPage, type RegisteredVisitor
} from '../../lib/index.js'

declare const db: Db
const app = Fastify()

test('the plugin registers with a db, and only with one', () => {
  expect(app.register).type.toBeCallableWith(livechat, { prefix: '/api/v1', db })
  expect(app.register).type.not.toBeCallableWith(livechat, { prefix: '/api/v1' })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ prefix: '/api/v1' })
})

test('options have their types', () => {
  expect<LivechatOptions>().type.toBeAssignableFrom({
    db,
    historyMonitorType: 'title' as const,
    rateLimit: { registration: { max: 5, timeWindow: 60_000 } },
    collections: { visitors: 'my_visitors' },
    authorizeAgent: () => 'granted' as const
  })
  expect<LivechatOptions>().type.toBeAssignableFrom({ db, identitySecret: 'a key of at least 32 bytes, checked at register' })
  expect<LivechatOptions>().type.toBeAssignableFrom({ db, identitySecret: new Uint8Array(32) })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ db, identitySecret: 32 })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ db, historyMonitorType: 'click' as const })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ db, rateLimit: true })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ db, collections: { nope: 'x' } })
  expect<LivechatOptions>().type.not.toBeAssignableFrom({ db, authorizeAgent: () => 'yes' as const })
})

test('app.livechat is the service, with its methods\' types', () => {
  expect(app.livechat).type.toBe<LivechatService>()
  expect(app.livechat.registerVisitor({ token: 't', name: 'Visitor' })).type.toBe<Promise<RegisteredVisitor>>()
  expect(app.livechat.registerVisitor).type.not.toBeCallableWith({ name: 'no token' })
  expect(app.livechat.findVisitorByToken('t')).type.toBe<Promise<PublicVisitor | null>>()
  expect(app.livechat.eraseVisitor('t')).type.toBe<Promise<ErasedVisitor>>()
  expect(app.livechat.setVisitorStatus).type.not.toBeCallableWith('t', 'gone')
  expect(app.livechat.recordPageVisit({ token: 't', pageInfo: { change: 'url', title: '', location: { href: 'https://a.example/' } } }))
    .type.toBe<Promise<RecordedPage | null>>()
  expect<PageInfo>().type.toBe<{ change: string, title: string, location: { href: string } }>()
  expect(app.livechat.searchVisitors).type.toBeCallableWith('term', { count: 10 })
  expect(app.livechat.searchVisitors).type.toBeCallableWith('', { sort: { 'lastChat.ts': -1 } })
  expect(app.livechat.searchVisitors).type.not.toBeCallableWith('', { sort: { livechatData: 1 } })
  expect(app.livechat.findPagesVisited).type.toBeCallableWith('room', { sort: { ts: 1 }, count: 0 })
  expect(app.livechat.completePendingErasures()).type.toBe<Promise<number>>()
  expect(app.livechat.registerVisitor).type.toBeCallableWith({ token: 't', identity: { userId: 'u-1', hash: 'hex' } })
  expect(app.livechat.registerVisitor).type.not.toBeCallableWith({ token: 't', identity: { userId: 'u-1' } })
})

test('event listeners get their event\'s payload', () => {
  app.livechat.on('visitorRegistered', event => { expect(event).type.toBe<{ visitor: PublicVisitor, created: boolean }>() })
  app.livechat.on('visitorUpdated', event => { expect(event).type.toBe<{ visitor: PublicVisitor }>() })
  app.livechat.on('visitorErased', event => { expect(event).type.toBe<ErasedVisitor>() })
  app.livechat.on('visitorErasurePending', event => { expect(event).type.toBe<PendingErasure>() })
  expect<PendingErasure>().type.toBe<{ _id: string, requestedAt: Date }>()
  app.livechat.on('pageVisited', event => { expect(event).type.toBe<{ token: string, rid?: string, page: RecordedPage }>() })
  expect(app.livechat.on).type.not.toBeCallableWith('visitorDeleted', () => {})
  expect(app.livechat.on('visitorErased', () => {})).type.toBe<() => void>()
})

test('errors are Fastify error constructors, taking their message\'s arguments', () => {
  expect(errors.InvalidTokenError).type.toBeAssignableTo<FastifyErrorConstructor>()
  expect(new errors.InvalidTokenError()).type.toBeAssignableTo<FastifyError>()
  expect(new errors.InvalidTokenError().code).type.toBe<'LIVECHAT_INVALID_TOKEN'>()
  expect(new errors.DatabaseTimeoutError('c.m', 10).statusCode).type.toBe<503>()
  expect(errors.InvalidTokenError).type.not.toBeConstructableWith('an argument it has no place for')
  expect(errors.BodyTooLargeError).type.toBeConstructableWith(65536)
  expect(errors.BodyTooLargeError).type.not.toBeConstructableWith()
  expect(errors.BodyTooLargeError).type.not.toBeConstructableWith('65536')
  expect(errors.DuplicateVisitorsError).type.toBeConstructableWith('livechat_unique_token', 'rocketchat_livechat_visitor', 'two tokens')
  expect(new errors.UniquenessNotEnforcedError('livechat_unique_token', 'rocketchat_livechat_visitor', 'token').code).type.toBe<'LIVECHAT_UNIQUENESS_NOT_ENFORCED'>()
  expect(errors.IndexDropError).type.not.toBeConstructableWith('token_1')
})

test('the host helpers fit the options they are meant for', () => {
  expect(Fastify).type.toBeCallableWith({
    frameworkErrors: livechatFrameworkErrors,
    logger: { serializers: { req: livechatRequestSerializer } }
  })
  expect(RECOMMENDED_CLIENT_OPTIONS).type.toBeAssignableTo<MongoClientOptions>()
  expect(Fastify().setNotFoundHandler).type.toBeCallableWith(livechatNotFoundHandler)
})
