import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { RunningCeleriac } from '../cli/celeriac-process.ts'
import { launchChromium } from './browser.ts'

// End to end in a real headless Chromium against `celeriac all` (the compiled binary in CI, from
// an empty folder): every wait is for a selector or an event, never a fixed sleep.
const TOKEN = 'browser-admin-token-0123456789'
const XSS = `<img src=x onerror="document.title='pwned'">`
const dir = mkdtempSync(join(tmpdir(), 'celeriac-dashboard-e2e-'))
// CELERIAC_SCREENSHOT_DIR=docs refreshes the README's screenshots; otherwise they go to the temp dir.
const SHOTS = process.env.CELERIAC_SCREENSHOT_DIR ?? dir
let server: RunningCeleriac
let browser: Awaited<ReturnType<typeof launchChromium>>
let page: Page
let base = ''
const dialogs: string[] = []

// What page-side functions use: the tests are type-checked without the DOM library, and the
// page's CSP forbids evaluating strings.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null
  documentElement: { scrollWidth: number }
}
declare const window: { innerWidth: number }

interface TaskBody {
  task_id: string
  dead_reason: string | null
}

/** Polls a condition checked through the API (the process's own state, not the page's). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

async function api(path: string, body?: unknown): Promise<TaskBody> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<TaskBody>
}

const enqueue = (task: string, input: unknown, options?: unknown) => api('/tasks', { task, input, options })
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true })

beforeAll(async () => {
  server = new RunningCeleriac(['all', '--port', '0', '--concurrency', '4'], {
    cwd: dir,
    env: {
      CELERIAC_BROKER_URL: `sqlite://${join(dir, 'dashboard.db')}`,
      CELERIAC_API_TOKENS: `${TOKEN}:admin`,
      CELERIAC_HEARTBEAT_MS: '300',
      CELERIAC_GRACE_MS: '2000',
      CELERIAC_BEAT_DEFAULTS: 'false',
    },
  })
  const [, opened] = await Promise.all([
    server.waitForLog(/api listening on http:\/\/[^:]+:\d+/),
    launchChromium(),
  ])
  browser = opened
  base = `http://127.0.0.1:${/api listening on http:\/\/[^:]+:(\d+)/.exec(server.stderr)?.[1]}`
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  page.setDefaultTimeout(10_000)
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
}, 30_000)

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
  rmSync(dir, { recursive: true, force: true })
}, 20_000)

async function openLive(path: string) {
  await page.goto(`${base}${path}`)
  await page.waitForSelector('body[data-live="open"]')
}

describe('the dashboard in Chromium', () => {
  test('logs in with a token and lands on the overview', async () => {
    await page.goto(`${base}/tasks`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.fill('#token', 'wrong-token-0123456789')
    await page.click('#login-form button[type=submit]')
    await page.waitForSelector('#login-error')
    await shot('login')
    await page.fill('#token', TOKEN)
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click('#login-form button[type=submit]')])
    expect(await page.textContent('h1')).toBe('Tasks')
  }, 15_000)

  test('with the CSP enforced, the live script runs, nothing is refused, and user input stays text', async () => {
    const strict = await launchChromium({ enforceCsp: true })
    try {
      const p = strict.context.pages()[0] ?? (await strict.context.newPage())
      p.setDefaultTimeout(10_000)
      const refused: string[] = []
      p.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text())
      })
      const strictDialogs: string[] = []
      p.on('dialog', (d) => {
        strictDialogs.push(d.message())
        void d.dismiss()
      })
      await p.goto(`${base}/login`)
      await p.fill('#token', TOKEN)
      await Promise.all([p.waitForURL(`${base}/`), p.click('#login-form button[type=submit]')])
      await p.goto(`${base}/tasks`)
      // Set by the dashboard's own script once its event stream is open: the script ran.
      await p.waitForSelector('body[data-live="open"]')
      const { task_id } = await enqueue('debug.noop', { note: XSS })
      await p.locator(`#task-table tr[data-task-id="${task_id}"]`).waitFor()
      expect(await p.locator('#live img').count()).toBe(0)
      expect(await p.title()).not.toBe('pwned')
      expect(strictDialogs).toEqual([])
      expect(refused).toEqual([])
    } finally {
      await strict.close()
    }
  }, 20_000)

  test('a new task appears live in the table, and user input never runs as HTML', async () => {
    await openLive('/tasks')
    const { task_id } = await enqueue('debug.noop', { note: XSS })
    const row = page.locator(`#task-table tr[data-task-id="${task_id}"]`)
    await row.waitFor()
    expect(await row.locator('.input-cell').textContent()).toContain('<img src=x onerror=')
    expect(await page.locator('#live img').count()).toBe(0)
    await page.click(`#task-table tr[data-task-id="${task_id}"] a`)
    await page.waitForSelector('#task-input')
    expect(await page.textContent('#task-input')).toContain(XSS.replaceAll('"', '\\"'))
    expect(await page.locator('main img').count()).toBe(0)
    expect(await page.title()).not.toBe('pwned')
    expect(dialogs).toEqual([])
  }, 15_000)

  test('filters the history and opens a task’s detail with its timeline', async () => {
    const work = [...Array(12)].map((_, i) => enqueue('debug.noop', { batch: 'filter-me', n: i }))
    await Promise.all([...work, enqueue('debug.fail', { times: 1 }), enqueue('debug.sleep', { ms: 300 })])
    await page.goto(`${base}/tasks`)
    await page.fill('#filter-q', 'filter-me')
    await page.selectOption('#filter-name', 'debug.noop')
    await Promise.all([page.waitForURL(/q=filter-me/), page.click('#task-filters button[type=submit]')])
    expect(await page.locator('#task-table tbody tr').count()).toBe(12)
    await page.locator('#task-table tbody tr a').first().click()
    await page.waitForSelector('#timeline')
    await page.waitForSelector('.panel.head .badge.state-success', { timeout: 10_000 })
    expect(await page.textContent('#timeline')).toContain('enqueued')
    await shot('task')
  }, 15_000)

  test('revokes a waiting task from its page', async () => {
    const { task_id } = await enqueue('debug.sleep', { ms: 1000 }, { countdown: 600_000 })
    await page.goto(`${base}/tasks/${task_id}`)
    await Promise.all([
      page.waitForURL(/done=revoked/),
      page.click('#task-actions button:has-text("Revoke")'),
    ])
    await page.waitForSelector('.panel.head .badge.state-revoked')
    expect(await page.textContent('.notice')).toContain('Revoke sent')
  }, 15_000)

  test('requeues a dead task from the queues page', async () => {
    // sign: true without a webhook secret fails at once as unrecoverable: a dead letter, no network.
    const { task_id } = await enqueue('http.request', { url: 'https://example.com/hook', sign: true })
    await until('the task to die', async () => (await api(`/tasks/${task_id}`)).dead_reason !== null)
    await page.goto(`${base}/queues`)
    const row = page.locator(`#dead-table tr[data-task-id="${task_id}"]`)
    await shot('queues')
    await Promise.all([page.waitForURL(/done=requeued/), row.locator('button:has-text("Requeue")').click()])
    expect(await page.textContent('.notice')).toContain('queued again')
    const events = await api(`/tasks/${task_id}`)
    expect(JSON.stringify(events)).toContain('task:requeued')
  }, 15_000)

  test('edits a schedule’s cron and input', async () => {
    await api('/schedules', {
      name: 'nightly-report',
      task: 'debug.noop',
      cron: '0 3 * * *',
      input: { to: 'ops' },
    })
    await page.goto(`${base}/schedules`)
    await page.click('tr[data-schedule="nightly-report"] a:has-text("Edit")')
    await page.fill('#field-cron', '*/10 * * * *')
    await page.fill('#field-input', '{"to": "ops", "format": "pdf"}')
    await Promise.all([page.waitForURL(/done=saved/), page.click('#schedule-form button[type=submit]')])
    const row = page.locator('tr[data-schedule="nightly-report"]')
    expect(await row.textContent()).toContain('cron */10 * * * * (UTC)')
    expect(await row.textContent()).toContain('"format":"pdf"')
    await api('/schedules', { name: 'cleanup', task: 'debug.noop', every: '1h' })
    await page.reload()
    await shot('schedules')
  }, 15_000)

  test('shows workers and the overview, live, and stays readable on a phone', async () => {
    await openLive('/workers')
    await page.waitForSelector('#worker-table .badge.worker-online')
    await shot('workers')
    await openLive('/')
    const before = Number(await page.textContent('#stat-succeeded .value'))
    await enqueue('debug.noop', {})
    // Page-side code as strings: the tests are type-checked without the DOM library.
    await page.waitForFunction(
      `Number(document.querySelector('#stat-succeeded .value').textContent) > ${before}`,
    )
    await shot('overview')
    await openLive('/tasks')
    await shot('tasks')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${base}/`)
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png') })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
  }, 20_000)
})
