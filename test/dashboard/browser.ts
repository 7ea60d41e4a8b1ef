import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

export const CHROMIUM = process.env.CELERIAC_CHROMIUM ?? '/usr/bin/chromium'

/** Flags for a quiet, offline headless run: no sandbox (CI containers), no background traffic. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Debian's Chromium through playwright-core (no browser download), with a fresh profile that is
 * deleted on close. A missing browser is a failure that says how to install it, never a skip.
 */
export async function launchChromium(
  options: { enforceCsp?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `dashboard browser tests: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium; ` +
        '.ci/run does this) or point CELERIAC_CHROMIUM at one.',
    )
  }
  const profile = mkdtempSync(join(tmpdir(), 'celeriac-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    // Playwright's waitForFunction evaluates strings, which the dashboard's CSP forbids. Bypassing
    // it also means the XSS checks prove the escaping alone, without the CSP's backstop; one test
    // runs with the CSP enforced, to prove the dashboard's own script works under it.
    bypassCSP: options.enforceCsp !== true,
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
