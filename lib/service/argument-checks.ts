import { type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler'
import { AutocompleteSelector, ChatSearch, HistorySort, PageSort, PagingQuery, ParsedAutocompleteQuery, SearchTerm, VisitorSort } from '../../schemas/agent.js'
import { CustomFieldDefinitionInput, CustomFieldName, DefinitionSort, DefinitionText } from '../../schemas/custom-field-definitions.js'
import { PageVisitedBody } from '../../schemas/page-visited.js'
import { RoomId, Token, VisitorId } from '../../schemas/shared.js'
import { CallStatusBody, CustomFieldInput, CustomFieldList, VisitorInput, VisitorStatus } from '../../schemas/visitor.js'
import { InvalidParamsError } from '../errors.js'

/** "visitor.customFields.0.key", or the name of the value itself for the root. */
function fieldName (path: string, rootName: string): string {
  return path === '' ? rootName : path.slice(1).replaceAll('/', '.')
}

function describeValueError (error: ValueError, rootName: string): string {
  const field = fieldName(error.path, rootName)
  const description = error.schema.description
  return description === undefined ? `${field}: ${error.message}` : `${field} must be ${description}`
}

/**
 * A LIVECHAT_INVALID_PARAMS error naming the first field that fails the check, or null when all
 * pass: the one judgement of a value against its schema, for the routes' validator and the service.
 */
export function invalidParams (check: TypeCheck<TSchema>, value: unknown, rootName: string): Error | null {
  if (check.Check(value)) return null
  return new InvalidParamsError(describeValueError(check.Errors(value).First() as ValueError, rootName))
}

/** A compiled check that answers the value as its schema's checked type, or throws invalid-params. */
function checker<T extends TSchema> (schema: T) {
  const check = TypeCompiler.Compile(schema)
  return (value: unknown, name: string): Static<T> => {
    const error = invalidParams(check, value, name)
    if (error !== null) throw error
    return value as Static<T>
  }
}

/** A compiled check that answers whether the value passes: for finders, which answer null for a key that cannot exist. */
function test<T extends TSchema> (schema: T) {
  const check = TypeCompiler.Compile(schema)
  return (value: unknown): value is Static<T> => check.Check(value)
}

/** The service's own checks of its callers' arguments, with the routes' schemas. */
export const check = {
  token: checker(Token),
  roomId: checker(RoomId),
  visitor: checker(VisitorInput),
  visit: checker(PageVisitedBody),
  status: checker(VisitorStatus),
  field: checker(CustomFieldInput),
  // The service's callers may leave `overwrite` out (false), as at registration; the routes may not.
  fields: checker(CustomFieldList),
  term: checker(SearchTerm),
  page: checker(PagingQuery),
  visitorId: checker(VisitorId),
  call: checker(CallStatusBody),
  definitionName: checker(CustomFieldName),
  definition: checker(CustomFieldDefinitionInput),
  definitionText: checker(DefinitionText),
  definitionSort: checker(DefinitionSort),
  selector: checker(AutocompleteSelector),
  autocompleteQuery: checker(ParsedAutocompleteQuery),
  chatSearch: checker(ChatSearch),
  historySort: checker(HistorySort),
  pageSort: checker(PageSort),
  visitorSort: checker(VisitorSort)
}

export const is = {
  token: test(Token),
  visitorId: test(VisitorId),
  definitionName: test(CustomFieldName)
}
