import { describe, expect, test } from 'bun:test'
import type { Lease } from '../../src/brokers/broker.ts'
import { startWorker, waitFor } from '../worker/helpers.ts'
import { makeDashboard, TOKENS } from './dashboard-harness.ts'

const XSS = '<img src=x onerror=alert(1)>'

async function loggedIn(env: Record<string, string> = {}) {
  const d = makeDashboard({ env })
  await d.login(TOKENS.admin)
  return d
}

async function reserveAll(d: ReturnType<typeof makeDashboard>): Promise<Lease[]> {
  return d.broker.reserve({ queues: ['default'], max: 100, leaseMs: 30_000, worker: 'test-worker' })
}

describe('dashboard pages', () => {
  test('renders user-supplied text escaped: task input, error and schedule input', async () => {
    const d = await loggedIn()
    const { id } = await d.deps.client.enqueue('debug.noop', { note: XSS })
    const [lease] = await reserveAll(d)
    if (!lease) throw new Error('no lease')
    const error = { type: 'Error', message: XSS, stack: `Error: ${XSS}\n    at run` }
    await d.broker.settle([{ kind: 'fail', lease, error, reason: 'max_retries', runtimeMs: 3 }])
    for (const path of ['/tasks', `/tasks/${id}`, '/queues', `/tasks?q=${encodeURIComponent(XSS)}`]) {
      const html = await (await d.request(path)).text()
      expect(html).not.toContain('<img')
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    }
  })

  test('every page sends a CSP that allows only this server’s script', async () => {
    const d = await loggedIn()
    const res = await d.request('/')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  test('under a base path every link, form action, asset and the cookie carry the prefix', async () => {
    const d = makeDashboard({ env: { CELERIAC_BASE_PATH: '/ops/celeriac' } })
    const login = await d.post('/ops/celeriac/login', { _csrf: await d.csrf(), token: TOKENS.admin })
    expect(login.headers.get('location')).toBe('/ops/celeriac')
    expect(login.headers.get('set-cookie')).toContain('Path=/ops/celeriac')
    await d.deps.client.enqueue('debug.noop', {})
    for (const page of [
      '/ops/celeriac',
      '/ops/celeriac/tasks',
      '/ops/celeriac/queues',
      '/ops/celeriac/schedules',
    ]) {
      const html = await (await d.request(page)).text()
      const urls = [...html.matchAll(/(?:href|action|src|data-events)="([^"]*)"/g)].map((m) => m[1] as string)
      expect(urls.length).toBeGreaterThan(5)
      for (const url of urls) expect(url).toMatch(/^\/ops\/celeriac(\/|$)/)
    }
    expect((await d.request('/ops/celeriac/assets/live.js')).status).toBe(200)
    // Routes are slash-tolerant: the prefix with a trailing slash is the overview too.
    expect((await d.request('/ops/celeriac/')).status).toBe(200)
  })

  test('filters and searches the stored history, page by page', async () => {
    const d = await loggedIn()
    for (let i = 0; i < 55; i++) await d.deps.client.enqueue('debug.noop', { n: i })
    await d.deps.client.enqueue('debug.noop', { label: 'needle-42' })
    const searched = await (await d.request('/tasks?q=needle-42')).text()
    expect(searched.match(/data-task-id=/g)?.length).toBe(1)
    const byName = await (await d.request('/tasks?name=debug.noop&state=PENDING')).text()
    expect(byName.match(/data-task-id=/g)?.length).toBe(50)
    const next = /id="next-page" href="([^"]+)"|href="([^"]+)" id="next-page"/.exec(byName)
    const href = (next?.[1] ?? next?.[2] ?? '').replaceAll('&amp;', '&')
    const second = await (await d.request(href)).text()
    expect(second.match(/data-task-id=/g)?.length).toBe(6)
  })

  test('a search past its scan budget says so and links to keep searching, until it finds the match', async () => {
    const d = makeDashboard({ settings: { searchScanBudget: 300 } })
    await d.login(TOKENS.admin)
    const { id } = await d.deps.client.enqueue('debug.noop', { label: 'needle-7' })
    for (let i = 0; i < 1_000; i++) await d.deps.client.enqueue('debug.noop', { n: i })
    let html = await (await d.request('/tasks?q=needle-7')).text()
    expect(html).toContain('No matches in the newest tasks searched so far')
    for (let pages = 0; pages < 10 && !html.includes(`data-task-id="${id}"`); pages++) {
      expect(html).toContain('Keep searching older tasks')
      const next = /id="next-page" href="([^"]+)"|href="([^"]+)" id="next-page"/.exec(html)
      html = await (await d.request((next?.[1] ?? next?.[2] ?? '').replaceAll('&amp;', '&'))).text()
    }
    expect(html).toContain(`data-task-id="${id}"`)
  })

  test('the overview counts finished tasks of the last hour from the store', async () => {
    const d = await loggedIn()
    for (let i = 0; i < 3; i++) await d.deps.client.enqueue('debug.noop', {})
    const leases = await reserveAll(d)
    const error = { type: 'Error', message: 'boom', stack: null }
    await d.broker.settle([
      { kind: 'ack', lease: leases[0] as Lease, result: null, runtimeMs: 1 },
      { kind: 'ack', lease: leases[1] as Lease, result: null, runtimeMs: 1 },
      { kind: 'fail', lease: leases[2] as Lease, error, reason: 'max_retries', runtimeMs: 1 },
    ])
    const html = await (await d.request('/')).text()
    expect(html).toMatch(/id="stat-succeeded"><div class="value">2</)
    expect(html).toMatch(/id="stat-failed"><div class="value">1</)
    expect(html).toContain('66.7 %')
    expect(html).toContain('<figure class="chart">')
  })

  test('a live refresh gets only the live section', async () => {
    const d = await loggedIn()
    const html = await (await d.request('/tasks', { headers: { 'x-celeriac-fragment': '1' } })).text()
    expect(html).not.toContain('<html')
    expect(html).not.toContain('task-filters')
  })

  test('marks a queue whose tasks wait with no online worker consuming it, naming it', async () => {
    const d = await loggedIn()
    startWorker(d.broker, { registry: d.deps.registry, heartbeatMs: 50, queues: ['default'] })
    await waitFor('the worker heartbeat', async () => (await d.broker.listWorkers(10_000)).length > 0)
    expect(await (await d.request('/queues')).text()).not.toContain('no consumer')
    await d.deps.client.enqueue('debug.noop', {}, { queue: 'reports-eu' })
    // A queue the worker reads keeps its row unmarked (a delayed task keeps the row listed).
    await d.deps.client.enqueue('debug.noop', {}, { countdown: 60_000 })
    const html = await (await d.request('/queues')).text()
    expect(html).toContain('id="unconsumed-queues"')
    expect(html).toContain('no online worker consumes &#39;reports-eu&#39;')
    const row = (queue: string) => new RegExp(`<tr data-queue="${queue}">[\\s\\S]*?</tr>`).exec(html)?.[0]
    expect(row('reports-eu')).toContain('no consumer')
    expect(row('default')).toBeString()
    expect(row('default')).not.toContain('no consumer')
  })

  test('requeues a dead task, and purges a queue only through its confirmation step', async () => {
    const d = await loggedIn()
    const { id } = await d.deps.client.enqueue('debug.noop', {})
    const [lease] = await reserveAll(d)
    const error = { type: 'Error', message: 'dead', stack: null }
    await d.broker.settle([
      { kind: 'fail', lease: lease as Lease, error, reason: 'max_retries', runtimeMs: 1 },
    ])
    expect(await (await d.request('/queues')).text()).toContain(`data-task-id="${id}"`)
    expect((await d.act(`/dead/${id}/requeue`)).headers.get('location')).toBe('/queues?done=requeued')
    expect((await d.broker.getResult(id))?.state).toBe('PENDING')
    const confirm = await (await d.request('/queues/default/purge')).text()
    expect(confirm).toContain('Delete the 1 waiting and delayed tasks')
    expect((await d.act('/queues/default/purge')).status).toBe(400)
    expect((await d.broker.getResult(id))?.state).toBe('PENDING')
    expect((await d.act('/queues/default/purge', { confirm: 'default' })).status).toBe(303)
    expect((await d.broker.queueStats()).find((q) => q.queue === 'default')?.waiting ?? 0).toBe(0)
  })

  test('adds, edits, disables, runs and deletes a schedule through its forms', async () => {
    const d = await loggedIn({ CELERIAC_BEAT_DEFAULTS: 'false' })
    const fields = {
      name: 'nightly',
      task: 'debug.noop',
      cron: '0 3 * * *',
      every: '',
      timezone: 'UTC',
      queue: '',
      input: `{"note":"${XSS.replaceAll('"', '\\"')}"}`,
      enabled: 'true',
    }
    const bad = await d.act('/schedules', { ...fields, cron: '61 * * * *' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('invalid cron')
    expect((await d.act('/schedules', fields)).status).toBe(303)
    const list = await (await d.request('/schedules')).text()
    expect(list).toContain('cron 0 3 * * * (UTC)')
    expect(list).not.toContain('<img')
    expect((await d.act('/schedules/nightly', { ...fields, cron: '', every: '5m' })).status).toBe(303)
    expect(await (await d.request('/schedules')).text()).toContain('every 5m')
    await d.act('/schedules/nightly/enabled', { enabled: 'false' })
    expect(await (await d.request('/schedules')).text()).toContain('disabled')
    await d.act('/schedules/nightly/run')
    expect((await d.broker.listTasks({ name: 'debug.noop' })).tasks).toHaveLength(1)
    await d.act('/schedules/nightly/delete')
    expect(await (await d.request('/schedules')).text()).toContain('No schedules')
  })

  test('shows a task’s timeline and offers revoke and terminate while it runs', async () => {
    const d = await loggedIn()
    const { id } = await d.deps.client.enqueue('debug.sleep', { ms: 10_000 })
    const [lease] = await reserveAll(d)
    await d.broker.setState(lease as Lease, 'STARTED')
    const html = await (await d.request(`/tasks/${id}`)).text()
    expect(html).toContain('>enqueued<')
    expect(html).toContain('>started<')
    expect(html).toContain('>Terminate<')
    expect((await d.act(`/tasks/${id}/revoke`, { terminate: '1' })).headers.get('location')).toContain(
      'done=terminated',
    )
  })
})
