import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { projectPath } from '../tools/project-path.js'

export interface PublicFilesOptions {
  /** The origin the demo page loads the livechat script from; by default the page's own. */
  livechatOrigin?: string
}

const PUBLIC_FILES = [
  { route: '/livechat.js', file: 'livechat.js', contentType: 'text/javascript; charset=utf-8' },
  { route: '/demo.html', file: 'demo.html', contentType: 'text/html; charset=utf-8' },
  { route: '/demo.js', file: 'demo.js', contentType: 'text/javascript; charset=utf-8' }
]

/** The demo page with its script tag pointing at `livechatOrigin`, which the script then calls. */
function demoPageFor (html: string, livechatOrigin: string): string {
  return html.replace('src="/livechat.js"', `src="${new URL(livechatOrigin).origin}/livechat.js"`)
}

/** Serves the browser client (/livechat.js) and the demo page (/demo.html, /demo.js) from example/public, read once. */
export async function servePublicFiles (app: FastifyInstance, { livechatOrigin }: PublicFilesOptions = {}): Promise<void> {
  for (const { route, file, contentType } of PUBLIC_FILES) {
    const text = await readFile(projectPath('example', 'public', file), 'utf8')
    const body = file === 'demo.html' && livechatOrigin !== undefined ? demoPageFor(text, livechatOrigin) : text
    app.get(route, { schema: { hide: true } }, async (_request, reply) => reply
      .header('content-type', contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(body))
  }
}
