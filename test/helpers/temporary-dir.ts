import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Teardown } from './teardown.js'

/** A new folder `livechat-<name>-*` in the system's temporary folder, removed when the test ends. */
export async function temporaryDir (t: Teardown, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `livechat-${name}-`))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}
