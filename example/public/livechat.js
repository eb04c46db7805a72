// The pimentaCHAT livechat visitor tracker, for any website:
//   <script src="https://chat.example/livechat.js" data-server="https://chat.example"></script>
// It gives the visitor a lasting token, reports the pages the visitor sees to
// /api/v1/livechat/page.visited (their origin and path: no query, no fragment, unless
// allowed), and exposes window.PimentaLivechat. Plain ES2020, no dependencies; nothing
// it does throws into the host page.
(function () {
  'use strict'

  const TOKEN_KEY = 'pimentaLivechat.token'
  const VISITS_KEY = 'pimentaLivechat.visits'
  const TOKEN_PATTERN = /^(?!\.\.?$)[A-Za-z0-9\-_.~!&'()*+,=:@]{1,100}$/
  const TOKEN_BYTES = 16
  const KEPT_VISITS = 50
  const LONGEST_TITLE = 512
  // Besides the controls, the characters the server refuses in text (bidirectional and invisible ones).
  const INVISIBLE_IN_TEXT = /[\u061C\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u
  const ATTEMPTS = 6
  const FIRST_RETRY_MS = 1000
  const LONGEST_RETRY_MS = 30000
  const REGISTER_FIELDS = ['name', 'email', 'phone', 'customFields']
  const API_MARK = Symbol.for('pimentaLivechat.api')

  if (isRunning()) return

  const script = document.currentScript
  const server = serverOf(script)
  if (server === null) {
    console.error('PimentaLivechat: no server; load the script with a <script src> tag, with a valid data-server if any')
    return
  }
  const api = `${server}/api/v1/livechat/`
  const monitor = script.dataset.monitor === 'title' ? 'title' : 'url'
  const keptParameters = new Set((script.dataset.keepQuery || '').split(',').map(name => name.trim()).filter(Boolean))
  const keepsHash = 'keepHash' in script.dataset
  const needsConsent = script.dataset.consent === 'required'
  const identity = identityOf(script)
  const listeners = new Set()
  // null while the visitor has not consented, and once forgotten: nothing is then stored or sent.
  let token = null
  let visits = []
  let lastReportedKey = null
  let reports = Promise.resolve()
  let erasing = null

  // An element with the id or name PimentaLivechat is window.PimentaLivechat too (a frame of
  // another origin so named throws when read): only the API itself means the script runs.
  function isRunning () {
    try {
      return window.PimentaLivechat?.[API_MARK] === true
    } catch {
      return false
    }
  }

  // data-server as given (a path is kept), else the origin the script came from.
  function serverOf (tag) {
    try {
      if (tag.dataset.server) return new URL(tag.dataset.server, location.href).href.replace(/\/+$/, '')
      return new URL(tag.src).origin
    } catch {
      return null
    }
  }

  // Storage may be off (privacy settings, sandboxed frames) or full: the token
  // and the visits then last as long as the page.
  function readStored (key) {
    try {
      return window.localStorage.getItem(key)
    } catch {
      return null
    }
  }

  function store (key, value) {
    try {
      window.localStorage.setItem(key, value)
    } catch {}
  }

  function unstore (key) {
    try {
      window.localStorage.removeItem(key)
    } catch {}
  }

  function storedToken () {
    const stored = readStored(TOKEN_KEY)
    return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null
  }

  function lastingToken () {
    const stored = storedToken()
    if (stored !== null) return stored
    const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))
    const created = Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('')
    store(TOKEN_KEY, created)
    return created
  }

  function storedVisits () {
    try {
      const parsed = JSON.parse(readStored(VISITS_KEY))
      return Array.isArray(parsed) ? parsed : []
    } catch {
      return []
    }
  }

  // The page's own proof of who the visitor is, checked by the server: both attributes, or none.
  function identityOf (tag) {
    const { userId, userHash } = tag.dataset
    return userId && userHash ? { userId, hash: userHash } : null
  }

  function wait (ms) {
    return new Promise(resolve => setTimeout(resolve, ms))
  }

  async function requestOnce (method, path, body) {
    const response = await fetch(api + path, {
      method,
      credentials: 'omit',
      // The default sends the page's whole address to a server of the same origin.
      referrerPolicy: 'no-referrer',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const answer = await response.json().catch(() => ({}))
    if (response.ok) return answer
    const error = new Error(answer.error || `HTTP ${response.status}`)
    error.status = response.status
    error.errorType = answer.errorType
    if (response.status === 429 || response.status === 503) error.retryAfterMs = retryAfterMs(response.headers.get('Retry-After'))
    throw error
  }

  // Retry-After is seconds or an HTTP date; null when absent or unreadable.
  function retryAfterMs (header) {
    if (header === null) return null
    const ms = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now()
    return Number.isNaN(ms) ? null : Math.min(LONGEST_RETRY_MS, Math.max(0, ms))
  }

  // No answer at all (offline, server restarting), 429 and 5xx may pass later; other answers are final.
  function isTransient (error) {
    return error.status === undefined || error.status === 429 || error.status >= 500
  }

  async function request (method, path, body) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await requestOnce(method, path, body)
      } catch (error) {
        if (attempt === ATTEMPTS || !isTransient(error)) throw error
        await wait(error.retryAfterMs ?? Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1)))
      }
    }
  }

  // What the server takes in text: a title keeps what a reader sees, and is recorded.
  function isKeptInText (character) {
    const code = character.codePointAt(0)
    return code > 0x1f && (code < 0x7f || code > 0x9f) && !INVISIBLE_IN_TEXT.test(character)
  }

  function parameterName (pair) {
    return new URLSearchParams(pair).keys().next().value
  }

  // The parameters of data-keep-query, as written and in the order of the address.
  function keptQuery (search) {
    const kept = search.slice(1).split('&').filter(pair => keptParameters.has(parameterName(pair)))
    return kept.length === 0 ? '' : `?${kept.join('&')}`
  }

  // Origin and path: a query or a fragment may carry a reset code or an access token, userinfo a password.
  function pageAddress () {
    const url = new URL(location.href)
    url.username = url.password = ''
    url.search = keptQuery(url.search)
    if (!keepsHash) url.hash = ''
    return url.href
  }

  function currentPage () {
    return {
      change: monitor,
      title: Array.from(document.title).filter(isKeptInText).slice(0, LONGEST_TITLE).join(''),
      location: { href: pageAddress() }
    }
  }

  function remember (recorded) {
    const page = recorded.navigation.page
    const visit = { change: page.change, title: page.title, href: page.location.href, at: new Date().toISOString() }
    visits.push(visit)
    visits.splice(0, visits.length - KEPT_VISITS)
    store(VISITS_KEY, JSON.stringify(visits))
    for (const listener of listeners) {
      try {
        listener({ ...visit })
      } catch (error) {
        console.error('PimentaLivechat: an onVisit listener failed', error)
      }
    }
  }

  async function send (pageInfo) {
    const reportedToken = token
    if (reportedToken === null) return
    try {
      const answer = await request('POST', 'page.visited', { token: reportedToken, pageInfo })
      // Without `page` the server monitors the other kind of change and stored nothing.
      if (answer.page && token === reportedToken) remember(answer.page)
    } catch (error) {
      console.warn('PimentaLivechat: a page visit was not recorded:', error.message)
    }
  }

  // One report at a time, so the server stores the visits in the order they were made.
  // The key is what is sent: a change in a parameter left out is no new visit.
  function reportPage () {
    if (token === null) return
    const page = currentPage()
    const key = monitor === 'title' ? page.title : page.location.href
    if (key === lastReportedKey) return
    lastReportedKey = key
    reports = reports.then(() => send(page))
  }

  // A single-page site usually sets the new title right after it navigates.
  function afterNavigation () {
    setTimeout(reportPage, 0)
  }

  function watchNavigation () {
    for (const method of ['pushState', 'replaceState']) {
      const original = history[method]
      history[method] = function (...args) {
        const result = original.apply(this, args)
        afterNavigation()
        return result
      }
    }
    window.addEventListener('popstate', afterNavigation)
    window.addEventListener('hashchange', afterNavigation)
  }

  function watchTitle () {
    new MutationObserver(reportPage).observe(document.head || document.documentElement, {
      subtree: true, childList: true, characterData: true
    })
  }

  // The token and the visits are there at once; the first report waits for the page's title.
  function startTracking () {
    token = lastingToken()
    visits = storedVisits()
    lastReportedKey = null
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', reportPage, { once: true })
    else reportPage()
  }

  function grantConsent () {
    if (needsConsent && token === null && erasing === null) startTracking()
  }

  // The answers taken as done: a token without a visitor, whose navigation history is erased all
  // the same; a visitor with an open room, whose erasure the server has recorded and completes
  // once its rooms are closed.
  const ERASED_OR_TO_BE = new Set(['invalid-token', 'visitor-has-open-rooms'])

  async function eraseOnServer (erased) {
    try {
      await request('DELETE', `visitor/${encodeURIComponent(erased)}`)
    } catch (error) {
      if (!ERASED_OR_TO_BE.has(error.errorType)) throw error
    }
  }

  // The token of this page, or before consent the one an earlier consent stored.
  // Kept in storage until the server has erased it, so that forget() can be tried again.
  async function erase () {
    const erased = token ?? storedToken()
    token = null
    await reports
    if (erased !== null) await eraseOnServer(erased)
    visits = []
    unstore(TOKEN_KEY)
    unstore(VISITS_KEY)
  }

  function forget () {
    if (erasing === null) erasing = erase().finally(() => { erasing = null })
    return erasing
  }

  async function register (fields = {}) {
    if (token === null) throw new Error('PimentaLivechat: no visitor token, before grantConsent() or after forget()')
    const visitor = { token }
    for (const name of REGISTER_FIELDS) {
      if (fields[name] !== undefined) visitor[name] = fields[name]
    }
    if (identity !== null) visitor.identity = identity
    return (await request('POST', 'visitor', { visitor })).visitor
  }

  async function visitor () {
    if (token === null) return null
    try {
      return (await request('GET', `visitor/${encodeURIComponent(token)}`)).visitor
    } catch (error) {
      if (error.errorType === 'invalid-token') return null
      throw error
    }
  }

  function onVisit (listener) {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  window.PimentaLivechat = Object.freeze({
    [API_MARK]: true,
    server,
    monitor,
    get token () {
      return token
    },
    register,
    visitor,
    visits: () => visits.map(visit => ({ ...visit })),
    onVisit,
    grantConsent,
    forget
  })

  watchNavigation()
  if (monitor === 'title') watchTitle()
  if (!needsConsent) startTracking()
})()
