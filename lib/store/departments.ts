import type { DepartmentId, PlainText } from '../../schemas/checked.js'
import type { BoundedCollection } from './bounded-collection.js'
import { asId } from './collections.js'

/** The id of the department with this id or name, or null when there is none. */
export async function findDepartmentId (departments: BoundedCollection, idOrName: PlainText): Promise<DepartmentId | null> {
  const department = await departments.findOne({ $or: [{ _id: asId(idOrName) }, { name: idOrName }] }, { projection: { _id: 1 } })
  return department === null ? null : String(department._id) as DepartmentId
}
