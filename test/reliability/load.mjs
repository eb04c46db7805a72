// A load generator in its own process, so that the server's event loop is not
// the client's: sends a plan of requests over HTTP with a bounded concurrency
// and prints one JSON line per answer ({i, kind, key, status, ms, visitor?, error?}).
// Usage: node load.mjs '<json options>'; see ./load.ts for the options.

const options = JSON.parse(process.argv[2])
const { baseUrl, concurrency, timeoutMs, plan, prefix } = options
const deadline = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs
const total = options.total ?? Infinity

const pageInfo = href => ({ change: 'url', title: 'Load', location: { href } })

/** The i-th request of the plan: what it is, the key that finds its write, and how to send it. */
function requestOf (i) {
  if (plan === 'storm') {
    const token = `${prefix}-${i % options.tokens}`
    return { kind: 'register', key: token, path: '/api/v1/livechat/visitor', body: { visitor: { token } } }
  }
  if (plan === 'steady') return steadyRequestOf(i)
  // 'mixed' writes something new every time: a registration, then a page visit of that visitor.
  const token = `${prefix}-${i - (i % 2)}`
  if (i % 2 === 0) return registration(token, i)
  return visit(token, i)
}

/** 'steady' keeps to 100 visitors: it registers (updates) one, records one of its visits, reads it. */
function steadyRequestOf (i) {
  const token = `${prefix}-${Math.floor(i / 3) % 100}`
  if (i % 3 === 0) return registration(token, i)
  if (i % 3 === 1) return visit(token, i)
  return { kind: 'get', key: token, path: `/api/v1/livechat/visitor/${token}` }
}

function registration (token, i) {
  return { kind: 'register', key: token, path: '/api/v1/livechat/visitor', body: { visitor: { token, name: `Load ${i}` } } }
}

function visit (token, i) {
  const href = `https://load.example/${prefix}/${i}`
  return { kind: 'visit', key: href, path: '/api/v1/livechat/page.visited', body: { token, pageInfo: pageInfo(href) } }
}

async function send (i) {
  const { kind, key, path, body } = requestOf(i)
  const started = performance.now()
  const result = { i, kind, key }
  try {
    const res = await fetch(baseUrl + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs)
    })
    result.status = res.status
    const answer = await res.json()
    if (answer.visitor !== undefined) result.visitor = { _id: answer.visitor._id, username: answer.visitor.username }
    if (answer.errorType !== undefined) result.errorType = answer.errorType
  } catch (error) {
    result.error = error.name === 'TimeoutError' ? 'timeout' : (error.cause?.code ?? error.message)
  }
  result.ms = Math.round(performance.now() - started)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

let next = 0
async function worker () {
  while (next < total && Date.now() < deadline) await send(next++)
}
await Promise.all(Array.from({ length: concurrency }, worker))
