import t from 'tap'
import Fastify from 'fastify'
import { buildApp } from '../../example/app.js'
import { servePublicFiles } from '../../example/public-files.js'
import { testDatabase } from '../helpers/database.js'
import { post } from '../helpers/http.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await buildApp({ db })
t.teardown(() => app.close())

const SHOP = 'https://shop.example'

t.test('a preflight from another origin is allowed for any origin, never with credentials', async t => {
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/api/v1/livechat/page.visited',
    headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
  })
  t.equal(res.statusCode, 204)
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.notOk('access-control-allow-credentials' in res.headers)
  t.match(res.headers['access-control-allow-methods'], 'POST')
  t.match(res.headers['access-control-allow-headers'], /content-type/i)
  const erase = await app.inject({
    method: 'OPTIONS',
    url: '/api/v1/livechat/visitor/some-token',
    headers: { origin: SHOP, 'access-control-request-method': 'DELETE' }
  })
  t.match(erase.headers['access-control-allow-methods'], 'DELETE', 'a widget can let its visitor erase itself')
  t.notOk('access-control-allow-credentials' in erase.headers)
})

t.test('answers from another origin, errors included, can be read by the page', async t => {
  const registered = await app.inject({
    method: 'POST', url: '/api/v1/livechat/visitor', headers: { origin: SHOP }, payload: { visitor: { token: 'cors-visitor' } }
  })
  t.same([registered.statusCode, registered.headers['access-control-allow-origin']], [200, '*'])
  t.notOk('access-control-allow-credentials' in registered.headers)
  const unknown = await app.inject({ url: '/api/v1/livechat/visitor/nobody', headers: { origin: SHOP } })
  t.same([unknown.statusCode, unknown.headers['access-control-allow-origin'], unknown.json().errorType], [400, '*', 'invalid-token'])
})

t.test('a 429 of the rate limits tells a page of another origin when to retry', async t => {
  const limited = await buildApp({ db, rateLimit: true })
  t.teardown(() => limited.close())
  const register = (token: string) => limited.inject({
    method: 'POST', url: '/api/v1/livechat/visitor', headers: { origin: SHOP }, payload: { visitor: { token } }
  })
  for (let i = 1; i <= 5; i++) await register(`cors-limited-${i}`)
  const refused = await register('cors-limited-6')
  t.equal(refused.statusCode, 429)
  t.match(refused.headers['retry-after'], /^[1-9]\d*$/)
  t.same([refused.headers['access-control-allow-origin'], refused.headers['access-control-expose-headers']], ['*', 'Retry-After'],
    'the browser lets the page read Retry-After')
})

t.test('the browser client and the demo page are served with their content types, never sniffed', async t => {
  for (const [path, type, text] of [
    ['/livechat.js', 'text/javascript; charset=utf-8', 'window.PimentaLivechat'],
    ['/demo.html', 'text/html; charset=utf-8', '<script src="/livechat.js" data-keep-hash></script>'],
    ['/demo.js', 'text/javascript; charset=utf-8', 'livechat.register(fields)']
  ]) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 200, path)
    t.equal(res.headers['content-type'], type, path)
    t.equal(res.headers['x-content-type-options'], 'nosniff', path)
    t.match(res.body, text, path)
  }
})

t.test('a demo page served elsewhere loads the script from the livechat server', async t => {
  const site = Fastify()
  t.teardown(() => site.close())
  await servePublicFiles(site, { livechatOrigin: 'http://127.0.0.1:3000/any/path' })
  const page = (await site.inject('/demo.html')).body
  t.match(page, '<script src="http://127.0.0.1:3000/livechat.js" data-keep-hash></script>')
  t.notMatch(page, 'src="/livechat.js"')
  t.match(page, '<script src="demo.js"></script>', 'its own script stays with the page')
})

t.test('the example app passes the history monitor type to the plugin', async t => {
  const titled = await buildApp({ db, historyMonitorType: 'title' })
  t.teardown(() => titled.close())
  const pageInfo = (change: string) => ({ change, title: 'Cart', location: { href: 'https://shop.example/cart' } })
  t.same((await post(titled, 'page.visited', { token: 'titled', pageInfo: pageInfo('url') })).json(), { success: true })
  t.match((await post(titled, 'page.visited', { token: 'titled', pageInfo: pageInfo('title') })).json(), { page: { msg: 'Cart - https://shop.example/cart' } })
})
