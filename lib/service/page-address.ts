import type { PageInfo } from '../../schemas/page-visited.js'
import { InvalidParamsError } from '../errors.js'

// The scheme, then the URL's userinfo: what lies before the authority's last "@".
const USERINFO = /^([Hh][Tt][Tt][Pp][Ss]?:\/\/)[^/?#]*@/

/**
 * The page without the URL's userinfo: `https://bank.example@evil.example/` is stored as
 * `https://evil.example/`. A userinfo may hold a password, and it makes a URL shown to an agent
 * read as another site. What remains must still name a host.
 */
export function withoutUserinfo (page: PageInfo): PageInfo {
  const href = page.location.href.replace(USERINFO, '$1')
  if (href === page.location.href) return page
  if (/^[^:]+:\/\/(?:[/?#]|$)/.test(href)) {
    throw new InvalidParamsError('pageInfo.location.href must be an absolute http: or https: URL of at most 2048 characters')
  }
  return { ...page, location: { ...page.location, href: href as PageInfo['location']['href'] } }
}
