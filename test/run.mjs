// npm test's runner: tap over every test file (npm run test:e2e names its own
// file and tap options), its TAP shown as it comes, then the plain closing line
// CI reads ("N passed, N failed"). A coverage shortfall fails the run like a
// failed assertion. Test points with subtests count once per leaf assertion,
// not once per group.
import { spawn } from 'node:child_process'
import { Parser } from 'tap-parser'

function countLeaves (parser, totals) {
  let summaryPending = false
  parser.on('child', child => {
    summaryPending = true
    countLeaves(child, totals)
  })
  parser.on('assert', result => {
    if (summaryPending) {
      summaryPending = false
      return
    }
    if (result.skip || result.todo) totals.skipped++
    else if (result.ok) totals.passed++
    else totals.failed++
  })
}

const totals = { passed: 0, failed: 0, skipped: 0 }
const parser = new Parser()
countLeaves(parser, totals)

const tap = spawn('npx', ['tap', '--reporter=tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
tap.stdout.on('data', chunk => {
  process.stdout.write(chunk)
  parser.write(chunk)
})
const code = await new Promise(resolve => tap.on('close', resolve))
await new Promise(resolve => {
  parser.on('complete', resolve)
  parser.end()
})

if (code !== 0 && totals.failed === 0) {
  console.log('# tap failed without a failed assertion (coverage below 100%, or a test file crashed)')
  totals.failed++
}
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exit(code === 0 ? 0 : 1)
