import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { seed } from '../../examples/business-dashboard/seed.ts'
import {
  type ExampleProcess as App,
  closeExample,
  ExampleProcess,
  type ExampleWorld,
  exampleArgs,
  expectReadmeShowsPython,
  matchesCron,
  openWorld,
  runPythonSnippet,
  succeeded,
  TOKEN,
} from './example-harness.ts'

/**
 * examples/business-dashboard end to end: SenangKira's seven dashboard tasks on five priority
 * queues, its three beat entries, its monitoring API under /api/dashboard/celery and its
 * Prometheus names, on celeriac (the compiled binary in CI) over Redis, with the document's own
 * Python client calling `.delay()`.
 */
// Each test runs several tasks through real processes end to end.
setDefaultTimeout(90_000)

let world: ExampleWorld
let all: App
let celery: App

const succeededHere = (id: string) => succeeded(all, id)
async function execute(task: string, kwargs: Record<string, unknown>): Promise<string> {
  const res = await all.fetch(`/api/dashboard/celery/tasks/${task}/execute/`, { body: { args: [], kwargs } })
  expect(res.status, await res.clone().text()).toBe(202)
  return ((await res.json()) as { task_id: string }).task_id
}
const getJson = async <T>(path: string) => (await (await all.fetch(path)).json()) as T

beforeAll(async () => {
  world = await openWorld('business-dashboard', 8)
  await seed(world.sql)
  const tables = JSON.parse(readFileSync(join(world.folder, 'celeriac.json'), 'utf8')).exportSources.app
    .tables
  Object.assign(world.env, {
    CELERIAC_BROKER_URL: world.redisUrl,
    CELERIAC_EXPORT_SOURCES: JSON.stringify({ app: { url: world.databaseUrl, tables } }),
  })
  all = await new ExampleProcess(world, exampleArgs(world, 'all')).ready()
  celery = await new ExampleProcess(
    world,
    exampleArgs(world, 'worker', ['--celery', '-Q', 'high_priority,cache_operations']),
  ).ready()
}, 60_000)

afterAll(() => closeExample(world, all, celery))

describe('examples/business-dashboard', () => {
  test("the document's Python client: refresh and warm by .delay(); the caches hold each user's figures", async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_delay.py'), 'utf8'), {
      CELERY_BROKER_URL: world.redisUrl,
    })
    expect(out.code, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual([{ refreshed: [1] }, { warmed: [2] }])
    expect(await world.sql`SELECT user_id, payload, warmed FROM dashboard_cache ORDER BY user_id`).toEqual([
      { user_id: 1, payload: { invoices: 3, paid: 1200, outstanding: 1100, overdue: 1 }, warmed: false },
      { user_id: 2, payload: { invoices: 1, paid: 150, outstanding: 0, overdue: 0 }, warmed: true },
    ])
  })

  test('the monitoring API the front end calls: status, execute, task detail; the notification mail goes out', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_rest.py'), 'utf8'), {
      CELERIAC_URL: all.baseUrl,
      CELERIAC_TOKEN: TOKEN,
    })
    expect(out.code, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toMatchObject({ system: 'healthy', task: 'success' })
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && world.smtp.received.length === 0) await Bun.sleep(100)
    expect(world.smtp.received[0]?.rcpt).toEqual(['lim@example.com'])
    expect(world.smtp.received[0]?.mail.text).toContain('Your dashboard has been updated')
    expect(await world.sql`SELECT notification_type FROM user_notifications`).toEqual([
      { notification_type: 'info' },
    ])

    const workers = await getJson<{ workers: { count: number }; stats: object }>(
      '/api/dashboard/celery/workers/',
    )
    expect(workers.workers.count).toBe(2)
    const queues = await getJson<{ queues: Record<string, { name: string }>; total_queues: number }>(
      '/api/dashboard/celery/queues/',
    )
    expect(Object.keys(queues.queues)).toEqual(
      expect.arrayContaining(['high_priority', 'cache_operations', 'default', 'analytics', 'low_priority']),
    )
    const tasks = await getJson<{ tasks: { name: string; status: string }[]; count: number }>(
      '/api/dashboard/celery/tasks/?limit=5',
    )
    expect(tasks.count).toBeLessThanOrEqual(5)
    expect(tasks.tasks[0]).toMatchObject({ status: expect.any(String) })
    const health = await all.fetch('/api/dashboard/celery/health_check/', { method: 'POST', body: {} })
    expect(health.status).toBe(202)
  })

  test('export (json and csv), performance analysis, cleanup and debug change and read the app data', async () => {
    const json = await succeededHere(
      await execute('dashboard.tasks.export_dashboard_data', {
        user_id: 1,
        export_format: 'json',
        date_range: { start: '2024-01-01', end: '2024-01-31' },
      }),
    )
    expect((json.invoices as { client: string }[]).map((i) => i.client)).toEqual(['Acme', 'Beta'])
    const csv = await succeededHere(
      await execute('dashboard.tasks.export_dashboard_data', { user_id: 1, export_format: 'csv' }),
    )
    expect(await succeededHere(csv.export_task_id as string)).toMatchObject({ rows: 3 })
    const pdf = await all.fetch(
      '/api/dashboard/celery/tasks/dashboard.tasks.export_dashboard_data/execute/',
      {
        body: { kwargs: { user_id: 1, export_format: 'pdf' } },
      },
    )
    expect(pdf.status).toBe(400)
    expect(JSON.stringify(await pdf.json())).toContain('export_format')

    expect(await succeededHere(await execute('dashboard.tasks.performance_analysis', {}))).toMatchObject({
      users: 2,
      cached: 2,
    })
    expect(await succeededHere(await execute('dashboard.tasks.cleanup_old_data', { days_old: 60 }))).toEqual({
      deleted: 1,
      days_old: 60,
    })
    expect(await succeededHere(await execute('dashboard.tasks.debug_task', {}))).toMatchObject({
      queue: 'default',
    })
  })

  test("the beat entries run on their queues, and their next fire times follow the document's crontab (UTC)", async () => {
    const { schedules } = await getJson<{
      schedules: { entry: { name: string; queue: string }; nextFireTimes: string[] }[]
    }>('/api/v1/schedules')
    const doc: Record<string, [string, string]> = {
      'refresh-dashboard-cache-hourly': ['0 * * * *', 'high_priority'],
      'warm-dashboard-cache-daily': ['0 2 * * *', 'cache_operations'],
      'performance-analysis': ['0 */6 * * *', 'analytics'],
    }
    expect(schedules.map((s) => s.entry.name).sort()).toEqual(Object.keys(doc).sort())
    for (const s of schedules) {
      const [cron, queue] = doc[s.entry.name] as [string, string]
      expect(s.entry.queue).toBe(queue)
      for (const t of s.nextFireTimes.map((x) => Date.parse(x)))
        expect(matchesCron(t, cron, 'UTC')).toBe(true)
      const res = await all.fetch(`/api/v1/schedules/${s.entry.name}/run`, { method: 'POST' })
      const { task_id } = (await res.json()) as { task_id: string }
      await succeededHere(task_id)
      expect((await getJson<{ queue: string }>(`/api/v1/tasks/${task_id}`)).queue).toBe(queue)
    }
  })

  test('the Prometheus recording rules name only series the api exports', async () => {
    const metrics = await (await all.fetch('/metrics')).text()
    const rules = readFileSync(join(world.folder, 'prometheus-rules.yml'), 'utf8')
    const used = [...new Set(rules.match(/celeriac_[a-z_]+/g) ?? [])]
    expect(used.length).toBeGreaterThan(3)
    for (const name of used) expect(metrics, name).toContain(`# TYPE ${name.replace(/_bucket$/, '')} `)
    for (const recorded of [
      'celery_tasks_total',
      'celery_task_duration_seconds_bucket',
      'celery_task_errors_total',
      'celery_workers_count',
      'celery_queues_backlog',
    ])
      expect(rules).toContain(`record: ${recorded}`)
  })

  test('the README shows both Python files as they are run here', () => expectReadmeShowsPython(world))
})
