import { chromium, type Browser, type Page } from 'playwright-core'
import type { Teardown } from '../helpers/teardown.js'

export const CHROMIUM_PATH = '/usr/bin/chromium'

// This network reaches nothing but package registries: Chromium's own
// background connections (updates, sync, field trials) are refused, and wait.
const OFFLINE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--disable-sync',
  '--no-first-run'
]

/**
 * Debian's Chromium, headless. Playwright gives each launch a fresh temporary
 * profile (its own --user-data-dir, which it refuses as an argument) and
 * deletes it on close.
 */
export async function launchChromium (t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: OFFLINE_FLAGS })
  t.teardown(() => browser.close())
  return browser
}

/** A page in a fresh browser context (its own storage), whose script errors are collected. */
export async function freshPage (browser: Browser, t: Teardown): Promise<{ page: Page, pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 640 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', error => pageErrors.push(error.message))
  return { page, pageErrors }
}
