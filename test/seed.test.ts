import t from 'tap'
import { readFile } from 'node:fs/promises'
import { buildApp } from '../example/app.js'
import { testDatabase } from './helpers/database.js'

const { db } = await testDatabase(t, import.meta.filename)
const app = await buildApp({ db })
t.teardown(() => app.close())

const seed = await readFile(new URL('./fixtures/livechat-visitors-api.txt', import.meta.url), 'utf8')
console.log(seed.length)

t.test('register', async t => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'iNKE8a6k6cjbqWhWd', name: 'Livechat Visitor' } } })
  t.equal(res.statusCode, 200, res.body)
  console.log(res.body)
})
