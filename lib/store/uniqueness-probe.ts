import { randomUUID } from 'node:crypto'
import type { Collection, Document } from 'mongodb'
import { UniquenessNotEnforcedError } from '../errors.js'
import { isDuplicateKeyError } from './database-errors.js'

/** A field no two visitors may share, and the unique index that says so. */
export interface UniqueField {
  field: string
  index: string
}

/** A document holding `value` at the dotted path, e.g. {identity: {userId: value}}. */
function holding (path: string, value: string): Document {
  return path.split('.').reduceRight<Document | string>((inner, key) => ({ [key]: inner }), value) as Document
}

/**
 * Proves at start that each unique index refuses a second visitor, rather than trusting that its
 * creation succeeded: FerretDB 1.24 answers success for an index whose name exists with other
 * options, and leaves it as it was. A disabled probe visitor holds a random value in every unique
 * field, then a second one tries each; every probe is deleted again.
 */
export async function verifyUniqueness (visitors: Collection<Document>, uniqueFields: readonly UniqueField[]): Promise<void> {
  const value = `livechat-uniqueness-probe-${randomUUID()}`
  const probes = uniqueFields.map(({ field }) => ({ _id: `${value}-${field}`, disabled: true, ...holding(field, value) }))
  const first = Object.assign({}, ...probes, { _id: value }) as Document
  await visitors.insertOne(first)
  try {
    for (const [position, probe] of probes.entries()) {
      const refused = await visitors.insertOne(probe as Document).then(() => false, (error: unknown) => {
        if (isDuplicateKeyError(error)) return true
        throw error
      })
      const { field, index } = uniqueFields[position]
      if (!refused) throw new UniquenessNotEnforcedError(index, visitors.collectionName, field)
    }
  } finally {
    await visitors.deleteMany({ _id: { $in: [value, ...probes.map(probe => probe._id)] } } as Document)
  }
}
