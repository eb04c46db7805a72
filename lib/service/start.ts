import type { FastifyBaseLogger } from 'fastify'
import { loggableError } from '../store/loggable-error.js'
import type { ServiceOptions } from '../options.js'
import { BoundedCollection } from '../store/bounded-collection.js'
import { openCollections, withDeadline } from '../store/collections.js'
import { GuestCounter } from '../store/guest-counter.js'
import { CustomFieldDefinitionStore } from '../store/custom-field-definitions.js'
import { HistoryStore } from '../store/history.js'
import { ensureIndexes } from '../store/indexes.js'
import { MessageStore } from '../store/messages.js'
import { RoomStore } from '../store/rooms.js'
import { SettingStore } from '../store/settings.js'
import { VisitorStore } from '../store/visitors.js'
import { CustomFieldResolver } from './custom-field-rules.js'
import { LivechatEventEmitter } from './events.js'
import { VisitorRegistration } from './registration.js'
import { checkedService, type LivechatService } from './service.js'
import { createUseCases, type LivechatUseCases } from './use-cases.js'

export interface ServiceHandle {
  service: LivechatService
  /** The use cases without the service's argument checks, for the routes whose schemas made them. */
  useCases: LivechatUseCases
  close (): void
}

/**
 * The composition root: opens the collections, ensures the indexes, and wires the stores, the
 * events and the use cases into the service, each part given the options it uses. Starts the
 * periodic task.
 */
export async function startService (options: ServiceOptions, log: FastifyBaseLogger): Promise<ServiceHandle> {
  const driverCollections = openCollections(options.db, options.collections)
  // Building an index on a large existing collection may rightly take minutes: no deadline here.
  if (options.ensureIndexes) {
    const dropped = await ensureIndexes(driverCollections)
    if (dropped.length > 0) log.info({ indexes: dropped }, 'livechat: dropped the unique indexes of earlier versions that Rocket.Chat\'s index creation refuses')
  }
  const collections = withDeadline(driverCollections, options.databaseTimeoutMs)
  // The expiry clean-up may take up to its own interval: on FerretDB its delete scans the history.
  const expiredMessages = new BoundedCollection(driverCollections.messages, options.expiryCleanupIntervalMs)

  const visitors = new VisitorStore(collections.visitors)
  const rooms = new RoomStore(collections.rooms, collections.inquiries, collections.subscriptions)
  const history = new HistoryStore(collections.messages, expiredMessages, {
    author: options.systemUser,
    hidden: !options.navigationAsMessages,
    retentionMs: options.historyRetentionMs
  })
  const definitions = new CustomFieldDefinitionStore(collections.customFields)
  const customFields = new CustomFieldResolver(definitions, log)
  const registration = new VisitorRegistration({
    visitors,
    departments: collections.departments,
    guestCounter: new GuestCounter(collections.settings),
    customFields,
    collectHttpHeaders: options.collectHttpHeaders,
    systemUsername: options.systemUser.username,
    identity: { visitors, references: collections, secret: options.identitySecret }
  })
  const events = new LivechatEventEmitter(log)
  const useCases = createUseCases({
    visitors,
    rooms,
    history,
    messages: new MessageStore(collections.messages),
    settings: new SettingStore(collections.settings),
    definitions,
    customFields,
    registration,
    events,
    collections,
    allowEraseWithOpenRooms: options.allowEraseWithOpenRooms,
    historyMonitorType: options.historyMonitorType
  })
  const removeExpiredHistory = () => history.removeExpired()
  const service = checkedService(useCases, events, removeExpiredHistory)
  const timer = setInterval(periodicTask({ useCases, removeExpiredHistory, log }), options.expiryCleanupIntervalMs).unref()
  return { service, useCases, close: () => clearInterval(timer) }
}

interface PeriodicParts {
  useCases: LivechatUseCases
  removeExpiredHistory: () => Promise<number>
  log: FastifyBaseLogger
}

/**
 * What runs every `expiryCleanupIntervalMs`: the expiry of roomless history, and the erasures
 * pending until their visitor's rooms are closed. A run still going when the next is due makes
 * that one skip.
 */
function periodicTask ({ useCases, removeExpiredHistory, log }: PeriodicParts): () => void {
  let running = false
  async function runOnce () {
    await removeExpiredHistory().catch(error => log.warn({ error: loggableError(error) }, 'livechat: removing expired navigation history failed'))
    await useCases.completePendingErasures().catch(error => log.warn({ error: loggableError(error) }, 'livechat: completing pending erasures failed'))
  }
  return () => {
    if (running) return
    running = true
    runOnce().finally(() => { running = false })
  }
}
