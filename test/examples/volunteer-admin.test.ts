import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seed } from '../../examples/volunteer-admin/seed.ts'
import { makeImage } from '../tasks/image/image-fixtures.ts'
import {
  type ExampleProcess as App,
  closeExample,
  ExampleProcess,
  type ExampleWorld,
  exampleArgs,
  expectReadmeShowsPython,
  localTime,
  openWorld,
  resultOf,
  runPythonSnippet,
  TOKEN,
} from './example-harness.ts'

/**
 * examples/volunteer-admin end to end: its tasks, schedules and endpoints on celeriac (the
 * compiled binary in CI) over Redis, with its PostgreSQL data, a real SMTP server, and Python
 * Celery calling `.delay()` as the Django app does.
 */
// Each test runs several tasks through real processes end to end.
setDefaultTimeout(90_000)

let world: ExampleWorld
let all: App
let celery: App

const post = async (path: string, body: unknown) => {
  const res = await all.fetch(path, { body })
  expect(res.status, await res.clone().text()).toBe(202)
  return (await res.json()) as { task_id: string; status_url: string }
}
const finished = (id: string) => resultOf(all, id)
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(100)
  }
}

beforeAll(async () => {
  world = await openWorld('volunteer-admin', 5)
  await seed(world.sql)
  const media = join(world.home, 'media')
  mkdirSync(join(media, 'uploads'), { recursive: true })
  writeFileSync(join(media, 'uploads/image.jpg'), await makeImage(1600, 1200, 'image/jpeg'))
  const tables = JSON.parse(readFileSync(join(world.folder, 'celeriac.json'), 'utf8')).exportSources.app
    .tables
  // The example's own config, pointed at this test's database, Redis and media folder.
  Object.assign(world.env, {
    CELERIAC_BROKER_URL: world.redisUrl,
    CELERIAC_EXPORT_SOURCES: JSON.stringify({ app: { url: world.databaseUrl, tables } }),
    CELERIAC_MEDIA_ROOT: media,
  })
  all = await new ExampleProcess(world, exampleArgs(world, 'all')).ready()
  celery = await new ExampleProcess(world, exampleArgs(world, 'worker', ['--celery', '-Q', 'celery'])).ready()
}, 60_000)

afterAll(() => closeExample(world, all, celery))

describe('examples/volunteer-admin', () => {
  test('send_welcome_email by REST and by Django .delay(): the mails go out and the app data records them', async () => {
    const user = await post('/api/v1/tasks/models_app.tasks.send_welcome_email', {
      user_id: 1,
      user_type: 'user',
    })
    expect(await finished(user.task_id)).toMatchObject({
      state: 'SUCCESS',
      result: { email: 'ada@example.com' },
    })

    const delay = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_delay.py'), 'utf8'), {
      CELERY_BROKER_URL: world.redisUrl,
    })
    expect(delay.code, delay.stderr).toBe(0)
    expect(JSON.parse(delay.stdout)).toMatchObject({ success: true, email: 'root@example.com' })

    await waitFor('both welcome mails', async () => world.smtp.received.length >= 2)
    const welcome = (to: string) => world.smtp.received.find((m) => m.rcpt.includes(to))?.mail
    expect(welcome('ada@example.com')?.text).toContain('Ada')
    expect(welcome('root@example.com')?.text).toContain('Site Admin')
    expect(welcome('root@example.com')?.text).toContain('http://localhost:3000/admin')
    const [ada] = await world.sql`SELECT welcomed_at FROM users WHERE id = 1`
    const [admin] = await world.sql`SELECT welcomed_at FROM admins WHERE id = 1`
    expect(ada.welcomed_at).not.toBeNull()
    expect(admin.welcomed_at).not.toBeNull()
  })

  test("the document's task endpoints: email send and bulk, image, export, report, status, workers, revoke", async () => {
    const before = world.smtp.received.length
    const single = await post('/api/v1/tasks/email/send/', {
      recipient_email: 'grace@example.com',
      subject: 'Test Subject',
      template_name: 'notification',
      context: { name: 'Grace', message: 'hello' },
    })
    const bulk = await post('/api/v1/tasks/email/bulk/', {
      recipient_emails: ['user1@example.com', 'user2@example.com'],
      subject: 'Bulk Email',
      template_name: 'notification',
      context: { message: 'Newsletter content' },
    })
    const image = await post('/api/v1/tasks/image/process/', {
      file_path: 'uploads/image.jpg',
      max_width: 1200,
      max_height: 800,
      quality: 85,
    })
    const exported = await post('/api/v1/tasks/export/', {
      model_name: 'users',
      filters: { status: 1 },
      fields: ['id', 'email', 'first_name'],
    })
    const report = await post('/api/v1/tasks/report/', {
      report_type: 'activity',
      date_from: '2024-01-01',
      date_to: '2024-01-31',
    })
    for (const t of [single, bulk, image, exported, report])
      expect((await finished(t.task_id)).state, t.task_id).toBe('SUCCESS')
    await waitFor('three more mails', async () => world.smtp.received.length >= before + 3)
    expect((await finished(exported.task_id)).result).toMatchObject({ rows: 2 })
    expect((await finished(image.task_id)).result).toMatchObject({ files: [{ width: 1067, height: 800 }] })

    const status = await (await all.fetch(`/api/v1/tasks/status/${single.task_id}/`)).json()
    expect(status).toMatchObject({
      task_id: single.task_id,
      status: 'SUCCESS',
      ready: true,
      successful: true,
    })
    const workers = (await (await all.fetch('/api/v1/tasks/workers/')).json()) as { total_workers: number }
    expect(workers.total_workers).toBe(2)

    const later = await all.fetch('/api/v1/tasks/debug.sleep', {
      body: { ms: 1 },
      headers: { 'celeriac-countdown': '600000' },
    })
    const { task_id } = (await later.json()) as { task_id: string }
    expect((await all.fetch(`/api/v1/tasks/revoke/${task_id}/`, { method: 'DELETE' })).status).toBeLessThan(
      300,
    )
    expect((await finished(task_id)).state).toBe('REVOKED')
  })

  test('the ported tasks change the app data: export by model name, admin report, publish, cleanup, health', async () => {
    const exported = await post('/api/v1/tasks/models_app.tasks.export_data_to_csv', {
      model_name: 'user',
      filters: { status: 1 },
      fields: ['id', 'email', 'first_name', 'last_name'],
    })
    const { export_task_id } = (await finished(exported.task_id)).result as { export_task_id: string }
    expect(await finished(export_task_id)).toMatchObject({ state: 'SUCCESS', result: { rows: 2 } })

    const rest = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_rest.py'), 'utf8'), {
      CELERIAC_URL: all.baseUrl,
      CELERIAC_TOKEN: TOKEN,
    })
    expect(rest.code, rest.stderr).toBe(0)
    expect(JSON.parse(rest.stdout)).toMatchObject({ counts: { login: 2, signup_event: 1 } })

    const run = async (name: string) => {
      const res = await all.fetch(`/api/v1/schedules/${name}/run`, { method: 'POST' })
      expect(res.status).toBe(202)
      return finished(((await res.json()) as { task_id: string }).task_id)
    }
    // Beat runs in `all` too: when a schedule's own time falls inside the test, beat's run may
    // publish or delete first and this run finds nothing left. So the totals over every run of
    // the task are what is checked, as well as that this run succeeded.
    const everyRun = async (task: string) => {
      const res = await all.fetch(`/api/v1/tasks?name=${encodeURIComponent(task)}`)
      const { tasks } = (await res.json()) as { tasks: { task_id: string }[] }
      return Promise.all(
        tasks.map(async (t) => (await finished(t.task_id)).result as Record<string, unknown>),
      )
    }
    expect(await run('publish-scheduled-content')).toMatchObject({ state: 'SUCCESS' })
    const published = await everyRun('models_app.tasks.publish_scheduled_content')
    expect(published.flatMap((r) => r.published as number[])).toEqual([1])
    const titles = await world.sql`SELECT title, status FROM content ORDER BY id`
    expect(titles.map((r: { status: string }) => r.status)).toEqual([
      'published',
      'scheduled',
      'published',
      'draft',
    ])
    expect(await run('cleanup-expired-content')).toMatchObject({ state: 'SUCCESS' })
    const cleanups = await everyRun('models_app.tasks.cleanup_expired_content')
    const total = (key: string) => cleanups.reduce((n, r) => n + (r[key] as number), 0)
    expect({ deleted_logs: total('deleted_logs'), expired_content: total('expired_content') }).toEqual({
      deleted_logs: 4,
      expired_content: 1,
    })
    // Logs older than 90 days went (the seed's 2024 ones among them); yesterday's stays.
    expect(await world.sql`SELECT count(*)::int AS n FROM activity_logs`).toEqual([{ n: 1 }])
    expect(await run('system-health-check')).toMatchObject({
      state: 'SUCCESS',
      result: { database: { ok: true } },
    })
  })

  test('the README shows both Python files as they are run here', () => expectReadmeShowsPython(world))

  test("every schedule's next fire times follow the document: every 5 minutes, daily at midnight, every 30 minutes (UTC)", async () => {
    const { schedules } = (await (await all.fetch('/api/v1/schedules')).json()) as {
      schedules: { entry: { name: string }; nextFireTimes: string[] }[]
    }
    const next = (name: string) =>
      (schedules.find((s) => s.entry.name === name)?.nextFireTimes ?? []).map((t) => Date.parse(t))
    const now = Date.now()
    const checks: [string, number, (t: ReturnType<typeof localTime>) => boolean][] = [
      ['publish-scheduled-content', 5 * 60_000, (t) => t.minute % 5 === 0],
      ['cleanup-expired-content', 24 * 3_600_000, (t) => t.hour === 0 && t.minute === 0],
      ['system-health-check', 30 * 60_000, (t) => t.minute % 30 === 0],
    ]
    for (const [name, period, matches] of checks) {
      const times = next(name)
      expect(times.length, name).toBeGreaterThan(1)
      expect(times[0] as number).toBeGreaterThan(now - 1_000)
      expect(times[0] as number).toBeLessThanOrEqual(now + period)
      for (const t of times)
        expect(matches(localTime(t, 'UTC')), `${name} ${new Date(t).toISOString()}`).toBe(true)
      expect((times[1] as number) - (times[0] as number)).toBe(period)
    }
  })
})
