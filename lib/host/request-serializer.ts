import type { FastifyRequest } from 'fastify'

const REDACTED = '[redacted]'

// The segment after a `visitor` segment, in any letter case, as `/livechat/visitor/:token` carries a
// token; `%2F` stands for a slash where the path could not be decoded.
const TOKEN_SEGMENT = /(\/visitor(?:\/|%2f)+)[^/?#]+/gi
const TOKEN_PARAMETER = /token/i
// What agents search visitors and their chats by: names, e-mail addresses, phones, message text.
const SEARCH_PARAMETERS = new Set(['term', 'selector', 'searchText'])

function decoded (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function redactedQuery (query: string): string {
  return query.split('&').map(pair => {
    const [name] = pair.split('=', 1)
    const parameter = decoded(name)
    return TOKEN_PARAMETER.test(parameter) || SEARCH_PARAMETERS.has(parameter) ? `${name}=${REDACTED}` : pair
  }).join('&')
}

/**
 * A request URL fit for a log: the segment after a `visitor` segment (any letter case, encoded
 * or not), the value of any query parameter whose name holds `token` (Rocket.Chat's widget sends
 * `livechat/config?token=`), and the agents' search terms (`term`, `selector`, `searchText`: a
 * visitor's name, e-mail or phone) are replaced by `[redacted]`. The path is logged decoded.
 */
export function redactedUrl (url: string): string {
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const redactedPath = decoded(path).replace(TOKEN_SEGMENT, `$1${REDACTED}`)
  return queryStart === -1 ? redactedPath : `${redactedPath}?${redactedQuery(url.slice(queryStart + 1))}`
}

/**
 * Fastify's request log fields, with the visitor tokens that a URL may carry replaced
 * (`redactedUrl`): a token is the visitor's credential and must not end up in logs. The plugin
 * uses it for its own routes; a host passes it to its logger (`serializers: { req }`) for what
 * reaches no route of the plugin: CORS preflights, 404s, and paths its router refuses.
 */
export function livechatRequestSerializer (request: FastifyRequest) {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
