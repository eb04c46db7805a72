import type { FastifyInstance } from 'fastify'
import type { Db, Document } from 'mongodb'
import { PUBLIC_VISITOR_FIELDS } from '../schemas/visitor.js'

interface CeilingOptions {
  db: Db
}

interface VisitorBody {
  visitor: { token: string, name?: string, email?: string }
}

interface PageVisitedBody {
  token: string
  pageInfo: { change: string, title: string, location: { href: string } }
}

const PUBLIC_PROJECTION = Object.fromEntries(PUBLIC_VISITOR_FIELDS.map(field => [field, 1]))
const HISTORY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/**
 * The ceiling: the plugin's three seed routes as bare Fastify routes doing the
 * same MongoDB operations on the same collections, with no schemas, no
 * validation and no error envelope. Registration keeps what a correct
 * register-or-update must do: update by token, and only on a miss take a guest
 * number and insert. Guest numbers are taken one at a time because FerretDB's
 * $inc is not atomic and the username index is unique.
 */
export async function ceilingRoutes (fastify: FastifyInstance, { db }: CeilingOptions): Promise<void> {
  const visitors = db.collection<Document>('rocketchat_livechat_visitor')
  const messages = db.collection<Document>('rocketchat_message')
  const settings = db.collection<Document>('rocketchat_settings')
  let guestQueue: Promise<unknown> = Promise.resolve()

  function nextGuestNumber (): Promise<number> {
    const next = guestQueue.then(async () => {
      const counter = await settings.findOneAndUpdate(
        { _id: 'Livechat_guest_count' as never }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' }
      )
      return (counter as Document).value as number
    })
    guestQueue = next.catch(() => undefined)
    return next
  }

  fastify.get('/livechat/visitor/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    const visitor = await visitors.findOne({ token }, { projection: PUBLIC_PROJECTION })
    if (visitor === null) return reply.code(400).send({ success: false })
    return { visitor, success: true }
  })

  fastify.post('/livechat/visitor', async (request) => {
    const { token, name, email } = (request.body as VisitorBody).visitor
    const now = new Date()
    const fields = { token, name, visitorEmails: [{ address: email }], status: 'online', _updatedAt: now }
    const updated = await visitors.findOneAndUpdate({ token }, { $set: fields }, { returnDocument: 'after' })
    if (updated !== null) return { visitor: updated, success: true }
    const created = { username: `guest-${await nextGuestNumber()}`, ts: now, ...fields }
    await visitors.insertOne(created)
    return { visitor: created, success: true }
  })

  fastify.post('/livechat/page.visited', async (request) => {
    const { token, pageInfo } = request.body as PageVisitedBody
    const now = new Date()
    const navigation = { page: pageInfo, token }
    const msg = `${pageInfo.title} - ${pageInfo.location.href}`
    await messages.insertOne({
      t: 'livechat_navigation_history',
      ts: now,
      msg,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      groupable: false,
      navigation,
      expireAt: new Date(now.getTime() + HISTORY_RETENTION_MS),
      _hidden: true,
      _updatedAt: now
    })
    return { page: { msg, navigation }, success: true }
  })
}
