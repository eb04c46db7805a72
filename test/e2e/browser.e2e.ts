import t from 'tap'
import { createHmac } from 'node:crypto'
import Fastify from 'fastify'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import type { HistoryMonitorType } from '../../lib/index.js'
import { buildApp } from '../../example/app.js'
import { servePublicFiles } from '../../example/public-files.js'
import { testDatabase } from '../helpers/database.js'
import { freshPage, launchChromium } from './chromium.js'
import { DEFAULT_COLLECTIONS } from '../../lib/index.js'

const SCREENSHOT = fileURLToPath(new URL('../../test-artifacts/demo.png', import.meta.url))
const DEMO_TITLE = 'pimentaCHAT livechat demo'
const IDENTITY_SECRET = 'the shop and its chat server share this key'
/** What the shop's backend renders into its page for its logged-in user user-7. */
const USER_HASH = createHmac('sha256', IDENTITY_SECRET).update('user-7').digest('hex')

const { db } = await testDatabase(t, import.meta.filename)
const browser = await launchChromium(t)

/**
 * The example app on a port of its own, noting every request (preflights too) as "METHOD url origin",
 * and the Referer of those that have one as "url referer".
 */
async function startApi (historyMonitorType?: HistoryMonitorType) {
  const app = await buildApp({ db, historyMonitorType, identitySecret: IDENTITY_SECRET })
  t.teardown(() => app.close())
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const requests: string[] = []
  const referers: string[] = []
  app.server.on('request', request => {
    requests.push(`${request.method} ${request.url} ${request.headers.origin}`)
    if (request.headers.referer !== undefined) referers.push(`${request.url} ${request.headers.referer}`)
  })
  return { origin, requests, referers }
}

/** Pages embedding the script from `apiOrigin` with other attributes, or next to things named PimentaLivechat. */
function embeddingPages (apiOrigin: string): Record<string, string> {
  const script = `${apiOrigin}/livechat.js`
  const tag = (attributes = '') => `<script src="${script}" ${attributes}></script>`
  return {
    'title-monitor': `<title>One</title>${tag('data-monitor="title"')}`,
    'keep-query': tag('data-keep-query="utm_source, utm_medium,step"'),
    'keep-hash': tag('data-keep-hash'),
    consent: tag('data-consent="required"'),
    identity: tag(`data-user-id="user-7" data-user-hash="${USER_HASH}"`),
    'clobbered-by-element': `<div id="PimentaLivechat"></div>${tag()}`,
    'clobbered-by-elements': `<div id="PimentaLivechat"></div><form name="PimentaLivechat"></form>${tag()}`,
    // The script runs once the frame holds a page of the API's origin.
    'clobbered-by-frame': `<iframe name="PimentaLivechat" src="${apiOrigin}/health"
      onload="document.body.append(Object.assign(document.createElement('script'), { src: '${script}' }))"></iframe>`
  }
}

/** A website on another port (so another origin) whose pages embed the script from `apiOrigin`: the demo, and /<name>.html. */
async function startSite (apiOrigin: string): Promise<string> {
  const site = Fastify()
  t.teardown(() => site.close())
  await servePublicFiles(site, { livechatOrigin: apiOrigin })
  for (const [name, html] of Object.entries(embeddingPages(apiOrigin))) {
    site.get(`/${name}.html`, async (_request, reply) => reply.type('text/html').send(`<!doctype html>${html}`))
  }
  return await site.listen({ host: '127.0.0.1', port: 0 })
}

const api = await startApi()
const site = await startSite(api.origin)
const demo = `${site}/demo.html`

/** Waits until the script has had `count` visits confirmed by the server. */
async function visitsRecorded (page: Page, count: number): Promise<void> {
  await page.waitForFunction(`window.PimentaLivechat.visits().length === ${count}`, undefined, { timeout: 15000 })
}

/** Runs each script in the page, then waits until the visits confirmed reach the count given with it. */
async function stepThrough (page: Page, steps: Array<[script: string, visitsAfter: number]>): Promise<void> {
  for (const [script, visitsAfter] of steps) {
    await page.evaluate(script)
    await visitsRecorded(page, visitsAfter)
  }
}

/** What the database holds for the token, in the order it was stored: [change, title, href]. */
async function storedVisits (token: string): Promise<string[][]> {
  const entries = await db.collection(DEFAULT_COLLECTIONS.messages)
    .find({ t: 'livechat_navigation_history', 'navigation.token': token })
    .sort({ ts: 1, _id: 1 })
    .toArray()
  return entries.map(({ navigation: { page } }) => [page.change, page.title, page.location.href])
}

function tokenOf (page: Page): Promise<string> {
  return page.evaluate<string>('window.PimentaLivechat.token')
}

function hrefsStored (token: string): Promise<string[]> {
  return storedVisits(token).then(visits => visits.map(([, , href]) => href))
}

/** Notes in window.fetched every call of fetch the page makes, as "METHOD url". */
async function noteFetches (page: Page): Promise<void> {
  await page.addInitScript(`{
    const originalFetch = window.fetch
    window.fetched = []
    window.fetch = function (resource, options = {}) {
      window.fetched.push((options.method || 'GET') + ' ' + resource)
      return originalFetch.apply(this, arguments)
    }
  }`)
}

/** What the page fetched once a navigation it just made has been handled (the script reports it after a 0 ms timeout). */
async function fetchedAfterNavigation (page: Page): Promise<string[]> {
  return await page.evaluate<string[]>('new Promise(resolve => setTimeout(() => resolve(window.fetched), 50))')
}

/** The state the script keeps in the page: its token, what localStorage holds, the visits it keeps. */
function clientState (page: Page): Promise<unknown> {
  return page.evaluate('({ token: window.PimentaLivechat.token, storage: { ...localStorage }, visits: window.PimentaLivechat.visits() })')
}

t.test('the demo page on another origin records every page, registers the visitor and keeps its token across a reload', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  await page.goto(demo)
  await visitsRecorded(page, 1)
  for (const n of [1, 2, 3, 4]) {
    await page.click(`nav a[href="#page-${n}"]`)
    await visitsRecorded(page, n + 1)
  }
  await page.fill('#name', 'Ana Demo')
  await page.fill('#email', 'Ana@Shop.example')
  await page.fill('#phone', '55 51 5555-5555')
  await page.click('#register button')
  await page.waitForFunction('document.getElementById("register-status").textContent === "Registered."')
  const token = await tokenOf(page)
  t.match(token, /^[0-9a-f]{32}$/, '128 random bits')

  await page.reload()
  await visitsRecorded(page, 6)
  t.equal(await tokenOf(page), token, 'the token survives the reload')
  await page.waitForFunction('document.getElementById("visitor-name").textContent === "Ana Demo"')
  t.equal(await page.textContent('#visitor-email'), 'ana@shop.example', 'the visitor is shown as the server has it')

  const pages = ['Home', 'Page 1', 'Page 2', 'Page 3', 'Page 4', 'Page 4']
  const hrefs = [demo, `${demo}#page-1`, `${demo}#page-2`, `${demo}#page-3`, `${demo}#page-4`, `${demo}#page-4`]
  const expected = pages.map((name, i) => ['url', `${name} - ${DEMO_TITLE}`, hrefs[i]])
  t.same(await storedVisits(token), expected, 'exactly the visits made (the reload is one), in order')
  t.same(await page.locator('#history li').allTextContents(), expected.map(([, title, href]) => `${title} - ${href}`),
    'the page shows the history')

  await mkdir(dirname(SCREENSHOT), { recursive: true })
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
  t.ok(await page.locator('#history li').last().isVisible(), `the screenshot (${SCREENSHOT}) shows the history`)

  const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
  t.equal(await visitors.countDocuments({ token }), 1, 'the visitor exists once')
  const answer = await (await fetch(`${api.origin}/api/v1/livechat/visitor/${token}`)).json()
  t.match(answer, { success: true, visitor: { token, name: 'Ana Demo', visitorEmails: [{ address: 'ana@shop.example' }], phone: [{ phoneNumber: '55 51 5555-5555' }] } })
  t.ok(api.requests.includes(`OPTIONS /api/v1/livechat/page.visited ${site}`), 'the browser sent a CORS preflight from the site')
  t.same(pageErrors, [])
})

t.test('a single-page site: pushState, replaceState and going back are reported, an unchanged address is not', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  const url = `${site}/keep-query.html`
  await page.goto(url)
  await visitsRecorded(page, 1)
  await stepThrough(page, [
    ['history.pushState({}, "", "?step=cart")', 2],
    ['history.replaceState({}, "", "?step=cart")', 2],
    ['history.replaceState({}, "", "?step=checkout")', 3],
    ['history.back()', 4]
  ])
  t.same(await hrefsStored(await tokenOf(page)), [url, `${url}?step=cart`, `${url}?step=checkout`, url])
  t.same(pageErrors, [])
})

t.test('the address is sent without its query and fragment, but for the parameters data-keep-query names', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  const sentBodies: string[] = []
  page.on('request', request => {
    if (request.url().startsWith(api.origin)) sentBodies.push(request.postData() ?? '')
  })
  const url = `${site}/keep-query.html`
  await page.goto(`${url}?utm_medium=mail&reset=RESET-CODE-1&email=a@b.example&utm_source=news#access_token=ACCESS-TOKEN-1`)
  await visitsRecorded(page, 1)
  await stepThrough(page, [
    ['history.pushState({}, "", "?reset=RESET-CODE-2&utm_medium=mail&utm_source=news")', 1],
    ['location.hash = "#id_token=ACCESS-TOKEN-2"', 1],
    ['history.pushState({}, "", "?utm_source=ads&password=hunter2")', 2]
  ])
  const token = await tokenOf(page)
  t.same(await hrefsStored(token), [`${url}?utm_medium=mail&utm_source=news`, `${url}?utm_source=ads`],
    'the kept parameters in the order of the address; a change in the others or in the fragment is no new visit')
  const entries = JSON.stringify(await db.collection(DEFAULT_COLLECTIONS.messages).find({ 'navigation.token': token }).toArray())
  const state = JSON.stringify(await clientState(page))
  for (const secret of ['RESET-CODE', 'a@b.example', 'ACCESS-TOKEN', 'hunter2']) {
    t.notOk(entries.includes(secret), `${secret} is not stored`)
    t.notOk(sentBodies.some(body => body.includes(secret)), `${secret} is not sent`)
    t.notOk(state.includes(secret), `${secret} is not kept in the page`)
  }
  t.same(api.referers.filter(line => line.startsWith('/api/')), [], 'no request tells the server the page\'s address')
  t.same(pageErrors, [])
})

t.test('the fragment is sent with data-keep-hash', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  const url = `${site}/keep-hash.html`
  await page.goto(`${url}?session=S3CRET#intro`)
  await visitsRecorded(page, 1)
  await stepThrough(page, [['location.hash = "#details"', 2]])
  t.same(await hrefsStored(await tokenOf(page)), [`${url}#intro`, `${url}#details`])
  t.same(pageErrors, [])
})

t.test('with data-monitor="title" the title changes are reported, as change "title"', async t => {
  const titled = await startApi('title')
  const titledSite = await startSite(titled.origin)
  const { page, pageErrors } = await freshPage(browser, t)
  const url = `${titledSite}/title-monitor.html`
  await page.goto(url)
  await visitsRecorded(page, 1)
  await stepThrough(page, [
    ['document.title = "Two"', 2],
    ['history.pushState({}, "", "?same-title"); document.title = "Two"', 2],
    ['document.title = "Three"', 3],
    ['document.title = "Fo\\u200bur\\u2028\\u{e0041}\\u061c"', 4]
  ])
  t.same(await storedVisits(await tokenOf(page)), [
    ['title', 'One', url],
    ['title', 'Two', url],
    ['title', 'Three', url],
    ['title', 'Four', url]
  ], 'the invisible characters the server refuses are left out of the title, and the visit is recorded')
  t.same(pageErrors, [])
})

/** A refusal as the example app answers it, readable by a page of another origin. */
function refusal (status: number, retryAfter: string) {
  return {
    status,
    headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After', 'retry-after': retryAfter },
    contentType: 'application/json',
    body: JSON.stringify({ success: false, error: 'The server is busy, try again', errorType: 'service-unavailable' })
  }
}

t.test('a refused connection is retried after the backoff, a 429 and a 503 after their Retry-After; the visit is stored once and nothing reaches the page', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  const attemptedAt: number[] = []
  await page.route(`${api.origin}/api/v1/livechat/page.visited`, async route => {
    attemptedAt.push(Date.now())
    if (attemptedAt.length === 1) return await route.abort('connectionrefused')
    if (attemptedAt.length === 2) return await route.fulfill(refusal(429, new Date(Date.now() - 60000).toUTCString()))
    if (attemptedAt.length === 3) return await route.fulfill(refusal(503, '2'))
    await route.continue()
  })
  await page.goto(demo)
  await visitsRecorded(page, 1)
  const waits = attemptedAt.slice(1).map((at, i) => at - attemptedAt[i])
  t.equal(waits.length, 3, 'four attempts')
  t.ok(waits[0] >= 1000, `without Retry-After, the backoff's 1 s (${waits[0]} ms)`)
  t.ok(waits[1] < 1000, `a Retry-After date already past: at once, where the backoff is 2 s (${waits[1]} ms)`)
  t.ok(waits[2] >= 2000 && waits[2] < 4000, `Retry-After 2: 2 s, where the backoff is 4 s (${waits[2]} ms)`)
  t.same((await storedVisits(await tokenOf(page))).length, 1)
  t.same(pageErrors, [])
})

t.test('register() rejects with the server\'s error when the input is wrong, without retrying', async t => {
  const { page } = await freshPage(browser, t)
  await page.goto(demo)
  await visitsRecorded(page, 1)
  const before = api.requests.filter(request => request.startsWith('POST /api/v1/livechat/visitor ')).length
  const message = await page.evaluate('window.PimentaLivechat.register({ email: "not an address" }).then(() => "resolved", error => error.message)')
  t.match(message, /email/)
  t.equal(api.requests.filter(request => request.startsWith('POST /api/v1/livechat/visitor ')).length, before + 1)
})

t.test('with data-consent="required" nothing is stored or sent before grantConsent(); forget() erases the history and stops the reports', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  await noteFetches(page)
  await page.goto(`${site}/consent.html`)
  await page.evaluate('history.pushState({}, "", "second")')
  t.same(await fetchedAfterNavigation(page), [], 'no request')
  t.same(await clientState(page), { token: null, storage: {}, visits: [] }, 'no token, nothing stored')
  t.equal(await page.evaluate('window.PimentaLivechat.register({ name: "Ana" }).then(() => "resolved", error => error.message)'),
    'PimentaLivechat: no visitor token, before grantConsent() or after forget()')
  t.equal(await page.evaluate('window.PimentaLivechat.visitor()'), null)
  t.same(await page.evaluate('window.fetched'), [], 'still no request')

  await page.evaluate('window.PimentaLivechat.grantConsent()')
  await visitsRecorded(page, 1)
  const token = await tokenOf(page)
  t.match(token, /^[0-9a-f]{32}$/)
  t.equal(await page.evaluate('localStorage.getItem("pimentaLivechat.token")'), token, 'the token is stored once consented')
  t.same(await hrefsStored(token), [`${site}/second`], 'the page of the moment is reported')

  await page.evaluate('window.PimentaLivechat.forget()')
  t.same(await storedVisits(token), [], 'the server erased the history of the token, which had no visitor')
  t.same(await clientState(page), { token: null, storage: {}, visits: [] })
  await page.evaluate('history.pushState({}, "", "third")')
  t.same(await fetchedAfterNavigation(page), [
    `POST ${api.origin}/api/v1/livechat/page.visited`,
    `DELETE ${api.origin}/api/v1/livechat/visitor/${token}`
  ], 'no report after forget()')

  await page.evaluate('window.PimentaLivechat.grantConsent()')
  await visitsRecorded(page, 1)
  const renewed = await tokenOf(page)
  t.not(renewed, token, 'consent given again: a new token')
  t.same(await hrefsStored(renewed), [`${site}/third`])
  t.same(pageErrors, [])
})

t.test('forget() erases a registered visitor; without data-consent the page then reports nothing for the rest of its life', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  await noteFetches(page)
  await page.goto(demo)
  await visitsRecorded(page, 1)
  await page.evaluate('window.PimentaLivechat.register({ name: "Forgotten" })')
  const token = await tokenOf(page)
  const visitors = db.collection(DEFAULT_COLLECTIONS.visitors)
  t.equal(await visitors.countDocuments({ token }), 1)

  await page.evaluate('window.PimentaLivechat.forget()')
  t.equal(await visitors.countDocuments({ token }), 0, 'the visitor is erased')
  t.same(await storedVisits(token), [], 'and its history')
  t.same(await clientState(page), { token: null, storage: {}, visits: [] })
  await page.click('nav a[href="#page-1"]')
  await page.evaluate('window.PimentaLivechat.grantConsent()')
  t.same(await fetchedAfterNavigation(page), [
    `GET ${api.origin}/api/v1/livechat/visitor/${token}`,
    `POST ${api.origin}/api/v1/livechat/page.visited`,
    `POST ${api.origin}/api/v1/livechat/visitor`,
    `DELETE ${api.origin}/api/v1/livechat/visitor/${token}`
  ], 'neither the navigation nor grantConsent() sends anything')
  t.equal(await page.evaluate('window.PimentaLivechat.register({}).then(() => "resolved", () => "rejected")'), 'rejected')
  t.same(pageErrors, [])
})

t.test('forget() with an open room: the server records the erasure, and the browser forgets at once', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  await page.goto(demo)
  await visitsRecorded(page, 1)
  const visitor = await page.evaluate<{ _id: string }>('window.PimentaLivechat.register({ name: "Open Room" })')
  const token = await tokenOf(page)
  await db.collection(DEFAULT_COLLECTIONS.rooms).insertOne({ _id: `room-of-${token}`, t: 'l', open: true, v: { _id: visitor._id, token } } as never)
  t.equal(await page.evaluate('window.PimentaLivechat.forget().then(() => "resolved", error => error.message)'), 'resolved')
  t.same(await clientState(page), { token: null, storage: {}, visits: [] })
  t.match(await db.collection(DEFAULT_COLLECTIONS.visitors).findOne({ token }), { erasureRequestedAt: Date }, 'the erasure waits for the room to close')
  t.same(pageErrors, [])
})

t.test('without localStorage the token lasts as long as the page, and forget() still erases it', async t => {
  const { page, pageErrors } = await freshPage(browser, t)
  await page.addInitScript(`Object.defineProperty(window, 'localStorage', {
    get () { throw new DOMException('Storage is off', 'SecurityError') }
  })`)
  await page.goto(demo)
  await visitsRecorded(page, 1)
  await page.click('nav a[href="#page-1"]')
  await visitsRecorded(page, 2)
  const token = await tokenOf(page)
  t.same(await hrefsStored(token), [demo, `${demo}#page-1`])
  await page.evaluate('window.PimentaLivechat.forget()')
  t.same(await storedVisits(token), [])
  t.same(await page.evaluate('[window.PimentaLivechat.token, window.PimentaLivechat.visits()]'), [null, []])
  await page.reload()
  await visitsRecorded(page, 1)
  t.not(await tokenOf(page), token, 'a reload is a new visitor')
  t.same(pageErrors, [])
})

t.test('an element, two elements or a frame of another origin named PimentaLivechat do not stop the script', async t => {
  for (const name of ['clobbered-by-element', 'clobbered-by-elements', 'clobbered-by-frame']) {
    const { page, pageErrors } = await freshPage(browser, t)
    await page.goto(`${site}/${name}.html`)
    // Until the script runs, the frame is window.PimentaLivechat, and reading a frame of another origin throws.
    await page.waitForFunction('(() => { try { return window.PimentaLivechat.visits().length === 1 } catch { return false } })()',
      undefined, { timeout: 15000 })
    t.equal(await page.evaluate('typeof window.PimentaLivechat.visits'), 'function', name)
    t.same(await hrefsStored(await tokenOf(page)), [`${site}/${name}.html`], name)
    t.same(pageErrors, [], name)
  }
})

t.test('with data-user-id and data-user-hash the visitor is verified, and follows its user to another device', async t => {
  const laptop = await freshPage(browser, t)
  await laptop.page.goto(`${site}/identity.html`)
  const first = await laptop.page.evaluate<{ _id: string, identity: { userId: string } }>('window.PimentaLivechat.register({ name: "Ana" })')
  t.equal(first.identity.userId, 'user-7', 'the server checked the hash the page carries')
  const laptopToken = await tokenOf(laptop.page)

  const phone = await freshPage(browser, t)
  await phone.page.goto(`${site}/identity.html`)
  const phoneToken = await tokenOf(phone.page)
  t.not(phoneToken, laptopToken, 'another device, another token')
  const second = await phone.page.evaluate<{ _id: string, name: string }>('window.PimentaLivechat.register()')
  t.same([second._id, second.name], [first._id, 'Ana'], 'the same visitor on the phone')
  t.equal(await laptop.page.evaluate('window.PimentaLivechat.visitor()'), null, 'the laptop\'s token stopped working')
  t.equal(await db.collection(DEFAULT_COLLECTIONS.visitors).countDocuments({ 'identity.userId': 'user-7' }), 1)

  const plain = await freshPage(browser, t)
  await plain.page.goto(demo)
  const unverified = await plain.page.evaluate<Record<string, unknown>>('window.PimentaLivechat.register({ name: "Bo" })')
  t.notOk('identity' in unverified, 'without the attributes no identity is sent')
  t.same([...laptop.pageErrors, ...phone.pageErrors, ...plain.pageErrors], [])
})
