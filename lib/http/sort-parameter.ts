/**
 * The sort a `sort` query parameter names, or none. Its schema (SortParameter) lets through only
 * the JSON of one known field and 1 or -1, so parsing it cannot fail nor name anything else.
 */
export function sortOf<Sort> (parameter: string | undefined): Sort {
  return (parameter === undefined ? {} : JSON.parse(parameter)) as Sort
}
