interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
}

/** The parts of a `.cpuprofile` (V8's format, written by `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface SelfTime {
  name: string
  micros: number
  share: number
}

const IDLE = new Set(['(idle)', '(program)'])

/** Where a function lives: the plugin, a package of node_modules, Node itself, or V8's own entries. */
export function areaOf ({ url, functionName }: CallFrame): string {
  if (functionName.startsWith('RegExp:')) return 'regular expressions (schema patterns)'
  if (url === '' && functionName.startsWith('(')) return functionName
  if (url === '' && /^(anonymous\d*|check)$/.test(functionName)) return 'generated code (compiled validators and serialisers)'
  if (url === '') return 'node native (socket writes, crypto, timers)'
  if (url.startsWith('node:')) return 'node internals'
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (dependency !== null) return dependency[1]
  const own = /\/dist\/(lib|schemas|example|bench)\//.exec(url)
  return own === null ? url : `plugin ${own[1]}/`
}

function functionLabel ({ functionName, url, lineNumber }: CallFrame): string {
  const file = url.replace(/^.*\/(node_modules|dist)\//, '')
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
}

/** Self time summed by `keyOf`, busiest first, with each share of the busy (non-idle) time. */
export function selfTimes (profile: CpuProfile, keyOf: (frame: CallFrame) => string): SelfTime[] {
  const frames = new Map(profile.nodes.map(node => [node.id, node.callFrame]))
  const totals = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, index) => {
    const frame = frames.get(id) as CallFrame
    if (IDLE.has(frame.functionName)) return
    const delta = profile.timeDeltas[index] ?? 0
    busy += delta
    const key = keyOf(frame)
    totals.set(key, (totals.get(key) ?? 0) + delta)
  })
  return [...totals].map(([name, micros]) => ({ name, micros, share: micros / busy })).sort((a, b) => b.micros - a.micros)
}

function tableOf (title: string, rows: SelfTime[]): string[] {
  return [
    `| ${title} | self ms | share of busy time |`,
    '|---|---:|---:|',
    ...rows.map(row => `| ${row.name.replace(/\|/g, '\\|')} | ${(row.micros / 1000).toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`)
  ]
}

export function renderProfileSummary (profile: CpuProfile, topFunctions = 30): string {
  return [
    ...tableOf('area', selfTimes(profile, areaOf)),
    '',
    ...tableOf('function', selfTimes(profile, functionLabel).slice(0, topFunctions))
  ].join('\n') + '\n'
}
