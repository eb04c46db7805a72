import type { BenchReport, Figures, RouteSummary } from './summary.js'

interface Panel {
  title: string
  figure: (figures: Figures) => number
}

const PANELS: Panel[] = [
  { title: 'Requests per second (higher is better)', figure: figures => figures.requestsPerSecond },
  { title: 'Server CPU µs per request (lower is better)', figure: figures => figures.cpuMicrosPerRequest }
]
const COLORS = { plugin: '#d9480f', ceiling: '#868e96' }
const PANEL_WIDTH = 460
const PANEL_HEIGHT = 300
const PLOT_TOP = 40
const PLOT_BOTTOM = 250
const BAR_WIDTH = 34

function escapeXml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function text (x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escapeXml(content)}</text>`
}

function bar (x: number, value: number, scale: number, color: string): string {
  const height = value * scale
  const y = PLOT_BOTTOM - height
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${BAR_WIDTH}" height="${height.toFixed(1)}" fill="${color}"/>` +
    text(x + BAR_WIDTH / 2, y - 4, Math.round(value).toLocaleString('en-US'), 'text-anchor="middle" font-size="10"')
}

function panel ({ title, figure }: Panel, routes: RouteSummary[], left: number): string {
  const highest = Math.max(1, ...routes.flatMap(route => [figure(route.plugin), figure(route.ceiling)]))
  const scale = (PLOT_BOTTOM - PLOT_TOP - 16) / highest
  const slot = PANEL_WIDTH / routes.length
  const groups = routes.map((route, index) => {
    const x = left + index * slot + (slot - 2 * BAR_WIDTH) / 2
    return bar(x, figure(route.plugin), scale, COLORS.plugin) +
      bar(x + BAR_WIDTH, figure(route.ceiling), scale, COLORS.ceiling) +
      text(x + BAR_WIDTH, PLOT_BOTTOM + 16, route.title, 'text-anchor="middle" font-size="10"')
  })
  return text(left + PANEL_WIDTH / 2, 24, title, 'text-anchor="middle" font-size="13" font-weight="bold"') +
    `<line x1="${left}" y1="${PLOT_BOTTOM}" x2="${left + PANEL_WIDTH}" y2="${PLOT_BOTTOM}" stroke="#495057"/>` +
    groups.join('')
}

function legend (y: number): string {
  return Object.entries(COLORS).map(([name, color], index) => {
    const x = 20 + index * 110
    return `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${color}"/>` + text(x + 18, y, name, 'font-size="12"')
  }).join('')
}

/** A bar chart of the route benchmark: throughput and CPU per request, plugin beside ceiling. */
export function renderChart (report: BenchReport): string {
  const width = PANELS.length * (PANEL_WIDTH + 20) + 20
  const { machine } = report
  const caption = `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.database}; medians of ${report.config.runs} runs`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_HEIGHT + 30}" font-family="sans-serif">` +
    '<rect width="100%" height="100%" fill="#ffffff"/>' +
    PANELS.map((each, index) => panel(each, report.routes, 20 + index * (PANEL_WIDTH + 20))).join('') +
    legend(PANEL_HEIGHT - 10) +
    text(250, PANEL_HEIGHT - 10, caption, 'font-size="10" fill="#495057"') +
    '</svg>\n'
}
