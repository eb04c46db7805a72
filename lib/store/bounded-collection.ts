import type {
  Collection, CountDocumentsOptions, DeleteResult, Document, Filter, FindOneAndUpdateOptions, FindOneOptions,
  FindOptions, InsertOneResult, UpdateFilter, UpdateResult, WithId
} from 'mongodb'
import { DatabaseTimeoutError } from '../errors.js'

type FindManyOptions = Pick<FindOptions, 'projection' | 'sort' | 'skip' | 'limit'>
type UpdateOneOptions = Omit<FindOneAndUpdateOptions, 'includeResultMetadata'>

/**
 * A collection with a deadline on every call: exactly the methods the stores use, each failing
 * with LIVECHAT_DATABASE_TIMEOUT when the database has not answered within `deadlineMs`, waiting
 * for a server and a pooled connection included. The driver (7.9) cannot bound every wait itself:
 * a write on a connection whose socket a restarting server has just destroyed waits forever
 * (docs/reliability.md). The call's AbortSignal also cancels it in the driver, which frees its
 * connection and keeps a call still waiting for a server from reaching the database late. The
 * driver types the signal for reads only, but passes it on for writes too (to server selection,
 * connection checkout and the socket wait); the answer does not depend on it.
 */
export class BoundedCollection {
  constructor (
    private readonly collection: Collection<Document>,
    readonly deadlineMs: number
  ) {}

  findOne<T extends Document> (filter: Filter<Document>, options: FindOneOptions = {}): Promise<T | null> {
    return this.bounded('findOne', signal => this.collection.findOne<T>(filter, { ...options, signal }))
  }

  /** The whole result of a find, read with toArray: the one way the stores read a cursor. */
  findMany<T extends Document> (filter: Filter<Document>, options: FindManyOptions = {}): Promise<T[]> {
    return this.bounded('find', signal => this.collection.find<T>(filter, { ...options, signal }).toArray())
  }

  /** The distinct values of a field among the documents the filter matches. */
  distinct (field: string, filter: Filter<Document>): Promise<unknown[]> {
    return this.bounded('distinct', signal => this.collection.distinct(field, filter, withSignal({}, signal)))
  }

  countDocuments (filter: Filter<Document>, options: CountDocumentsOptions = {}): Promise<number> {
    return this.bounded('countDocuments', signal => this.collection.countDocuments(filter, { ...options, signal }))
  }

  insertOne (document: Document): Promise<InsertOneResult> {
    return this.bounded('insertOne', signal => this.collection.insertOne(document, withSignal({}, signal)))
  }

  findOneAndUpdate (filter: Filter<Document>, update: UpdateFilter<Document>, options: UpdateOneOptions = {}): Promise<WithId<Document> | null> {
    return this.bounded('findOneAndUpdate', signal => this.collection.findOneAndUpdate(filter, update, withSignal(options, signal)))
  }

  updateOne (filter: Filter<Document>, update: UpdateFilter<Document>): Promise<UpdateResult> {
    return this.bounded('updateOne', signal => this.collection.updateOne(filter, update, withSignal({}, signal)))
  }

  updateMany (filter: Filter<Document>, update: UpdateFilter<Document>): Promise<UpdateResult> {
    return this.bounded('updateMany', signal => this.collection.updateMany(filter, update, withSignal({}, signal)))
  }

  deleteMany (filter: Filter<Document>): Promise<DeleteResult> {
    return this.bounded('deleteMany', signal => this.collection.deleteMany(filter, withSignal({}, signal)))
  }

  private bounded<T> (method: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new DatabaseTimeoutError(`${this.collection.collectionName}.${method}`, this.deadlineMs)
        controller.abort(error)
        reject(error)
      }, this.deadlineMs)
      call(controller.signal).then(
        value => { clearTimeout(timer); resolve(value) },
        (error: unknown) => { clearTimeout(timer); reject(error) }
      )
    })
  }
}

/** A write's options with the call's signal, which the driver's write option types do not declare. */
function withSignal<O extends object> (options: O, signal: AbortSignal): O {
  return { ...options, signal }
}
