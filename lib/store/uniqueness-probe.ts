import { randomUUID } from 'node:crypto'
import type { Collection, Document } from 'mongodb'
import { UniquenessNotEnforcedError } from '../errors.js'
import { isDuplicateKeyError } from './database-errors.js'

/** A field no two visitors may share, and the unique index that says so. */
export interface UniqueField {
  field: string
  index: string
}

/** A document holding `value` at each dotted path: ['token', 'identity.userId'] gives {token, identity: {userId}}. */
function documentAt (paths: string[], value: string): Document {
  const document: Document = {}
  for (const path of paths) {
    const keys = path.split('.')
    const parent = keys.slice(0, -1).reduce<Document>((inner, key) => (inner[key] ??= {}) as Document, document)
    parent[keys[keys.length - 1]] = value
  }
  return document
}

/** Whether the insert was refused with a duplicate key; any other failure is thrown. */
async function refused (visitors: Collection<Document>, probe: Document): Promise<boolean> {
  try {
    await visitors.insertOne(probe)
    return false
  } catch (error) {
    if (isDuplicateKeyError(error)) return true
    throw error
  }
}

/**
 * Proves at start that each unique index refuses a second visitor, rather than trusting that its
 * creation succeeded. A disabled probe visitor (no personal data) holds a random value in every
 * unique field, then a second one tries each field in turn. Every probe is deleted again; when that
 * fails too, the first failure is the one thrown.
 */
export async function verifyUniqueness (visitors: Collection<Document>, uniqueFields: readonly UniqueField[]): Promise<void> {
  const value = `livechat-uniqueness-probe-${randomUUID()}`
  const holder = { _id: value, disabled: true, ...documentAt(uniqueFields.map(({ field }) => field), value) }
  const probeIds = [value, ...uniqueFields.map(({ field }) => `${value}-${field}`)]
  let failure: unknown
  try {
    await visitors.insertOne(holder as Document)
    for (const [position, { field, index }] of uniqueFields.entries()) {
      const second = { _id: probeIds[position + 1], disabled: true, ...documentAt([field], value) }
      if (!await refused(visitors, second as Document)) throw new UniquenessNotEnforcedError(index, visitors.collectionName, field)
    }
  } catch (error) {
    failure = error
  }
  await visitors.deleteMany({ _id: { $in: probeIds } } as Document).catch((error: unknown) => { failure ??= error })
  if (failure !== undefined) throw failure
}
