import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seed } from '../../examples/portfolio-site/seed.ts'
import {
  type ExampleProcess as App,
  closeExample,
  ExampleProcess,
  type ExampleWorld,
  exampleArgs,
  expectReadmeShowsPython,
  matchesCron,
  openWorld,
  postTask,
  resultOf,
  runPythonSnippet,
  succeeded,
  TOKEN,
} from './example-harness.ts'

/**
 * examples/portfolio-site end to end: its seven tasks on their three priority queues, its
 * limits, retries and result expiry, its three beat entries, on celeriac (the compiled binary in
 * CI) over Redis, with Python Celery calling `.delay()` and the REST API.
 */
// Each test runs several tasks through real processes end to end.
setDefaultTimeout(90_000)

let world: ExampleWorld
let all: App
let celery: App
let tmp: string

const succeededHere = (id: string) => succeeded(all, id)
const post = (task: string, body: unknown) => postTask(all, task, body)

beforeAll(async () => {
  world = await openWorld('portfolio-site', 6)
  await seed(world.sql)
  tmp = join(world.home, 'tmp')
  mkdirSync(tmp, { recursive: true })
  const tables = JSON.parse(readFileSync(join(world.folder, 'celeriac.json'), 'utf8')).exportSources.app
    .tables
  Object.assign(world.env, {
    CELERIAC_BROKER_URL: world.redisUrl,
    CELERIAC_EXPORT_SOURCES: JSON.stringify({ app: { url: world.databaseUrl, tables } }),
    PORTFOLIO_TEMP_DIR: tmp,
  })
  all = await new ExampleProcess(world, exampleArgs(world, 'all')).ready()
  celery = await new ExampleProcess(
    world,
    exampleArgs(world, 'worker', ['--celery', '-Q', 'high_priority']),
  ).ready()
}, 60_000)

afterAll(() => closeExample(world, all, celery))

describe('examples/portfolio-site', () => {
  test('Django .delay() on the high_priority queue: the like is counted and the notification goes by email and SMS', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_delay.py'), 'utf8'), {
      CELERY_BROKER_URL: world.redisUrl,
    })
    expect(out.code, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual([
      { action: 'like', project_id: 1, likes: 1 },
      { sent: ['email', 'sms'] },
    ])
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && (world.smtp.received.length === 0 || world.sms.sent.length === 0))
      await Bun.sleep(100)
    expect(world.smtp.received[0]?.rcpt).toEqual(['one@example.com'])
    expect(world.sms.sent[0]).toMatchObject({ to: '+15551230001', message: 'Thanks for the like!' })
  })

  test('the REST API: generate_reports writes a report row; the routing and limits come from the config', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_rest.py'), 'utf8'), {
      CELERIAC_URL: all.baseUrl,
      CELERIAC_TOKEN: TOKEN,
    })
    expect(out.code, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toMatchObject({ report_type: 'system', users: 2, projects: 2 })
    expect(await world.sql`SELECT report_type FROM reports`).toEqual([{ report_type: 'system' }])

    const id = await post('apps.main.tasks.generate_reports', { report_type: 'performance' })
    const detail = (await (await all.fetch(`/api/v1/tasks/${id}`)).json()) as { queue: string }
    expect(detail.queue).toBe('low_priority')
    expect(await succeededHere(id)).toMatchObject({ report_type: 'performance' })
  })

  test('the beat entries fired now: analytics, temp files and cache, health; and a backup of the site tables', async () => {
    const old = join(tmp, 'upload-old.part')
    writeFileSync(old, 'x')
    utimesSync(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000))
    writeFileSync(join(tmp, 'upload-new.part'), 'x')
    const run = async (name: string) => {
      const res = await all.fetch(`/api/v1/schedules/${name}/run`, { method: 'POST' })
      expect(res.status).toBe(202)
      return succeededHere(((await res.json()) as { task_id: string }).task_id)
    }
    expect(await run('update-analytics')).toEqual({ paths: { '/': 3, '/projects/1': 2 } })
    expect(await run('cleanup-temp-files')).toEqual({ files_removed: 1, cache_entries_removed: 1 })
    expect(await run('health-check')).toMatchObject({ status: 'healthy' })
    const backup = await succeededHere(await post('apps.main.tasks.backup_data', {}))
    const ids = Object.values(backup.export_task_ids as Record<string, string>)
    expect(ids).toHaveLength(4)
    for (const exportId of ids)
      expect(await succeededHere(exportId)).toMatchObject({ rows: expect.any(Number) })
  })

  test('the CLI the document uses: status, inspect active and scheduled, revoke, purge', async () => {
    expect((await all.cli(['status', '--json'])).code).toBe(0)
    expect((await all.cli(['inspect', 'active'])).code).toBe(0)
    expect((await all.cli(['inspect', 'scheduled'])).code).toBe(0)
    const later = await all.cli(['call', 'apps.main.tasks.generate_reports', '--countdown', '600000'])
    expect(later.code, later.stderr).toBe(0)
    expect((await all.cli(['revoke', later.stdout])).code).toBe(0)
    expect((await resultOf(all, later.stdout)).state).toBe('REVOKED')
    expect((await all.cli(['purge', '-Q', 'low_priority', '--yes'])).code).toBe(0)
  })

  test("every schedule's next fire times follow the document: every 5 minutes, hourly, every minute (UTC)", async () => {
    const { schedules } = (await (await all.fetch('/api/v1/schedules')).json()) as {
      schedules: { entry: { name: string }; nextFireTimes: string[] }[]
    }
    const doc: Record<string, string> = {
      'update-analytics': '*/5 * * * *',
      'cleanup-temp-files': '0 * * * *',
      'health-check': '* * * * *',
    }
    expect(schedules.map((s) => s.entry.name).sort()).toEqual(Object.keys(doc).sort())
    for (const s of schedules) {
      const times = s.nextFireTimes.map((t) => Date.parse(t))
      expect(times.length).toBeGreaterThan(1)
      for (const t of times) expect(matchesCron(t, doc[s.entry.name] as string, 'UTC')).toBe(true)
    }
  })

  test('the README shows both Python files as they are run here', () => expectReadmeShowsPython(world))
})
