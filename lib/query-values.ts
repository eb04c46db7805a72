import { InvalidParamsError } from './errors.js'

/**
 * The data layer's own check that a value going into a query or an update is a
 * string: a second wall behind the schemas, so that an operator object such as
 * `{"$ne": null}` can never become part of a filter, whatever a caller skipped.
 */
export function queryString (value: unknown, field: string): string {
  if (typeof value !== 'string') throw new InvalidParamsError(`${field} must be a string`)
  return value
}
