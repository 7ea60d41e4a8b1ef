import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seed } from '../../examples/social-network/seed.ts'
import { makeImage } from '../tasks/image/image-fixtures.ts'
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
  runSchedule,
  succeeded,
  TOKEN,
  waitClearOfScheduleMarks,
} from './example-harness.ts'

/**
 * examples/social-network end to end: ALX Project Nexus's nine tasks on its prioritised queues
 * and its seven beat entries, on celeriac (the compiled binary in CI) over Redis, with Python
 * Celery calling `.delay()` and the REST API.
 */
// Each test runs several tasks through real processes end to end.
setDefaultTimeout(90_000)

let world: ExampleWorld
let all: App
let celery: App

const succeededHere = (id: string) => succeeded(all, id)
const runScheduleHere = (name: string) => runSchedule(all, name)

beforeAll(async () => {
  world = await openWorld('social-network', 7)
  // Their beat entries clean up and sync the seeded rows: none may fire while the tests run.
  await waitClearOfScheduleMarks(world, 45_000)
  await seed(world.sql)
  const media = join(world.home, 'media')
  mkdirSync(join(media, 'uploads'), { recursive: true })
  writeFileSync(join(media, 'uploads/photo.png'), await makeImage(2000, 1500, 'image/png'))
  Object.assign(world.env, { CELERIAC_BROKER_URL: world.redisUrl, CELERIAC_MEDIA_ROOT: media })
  all = await new ExampleProcess(world, exampleArgs(world, 'all')).ready()
  celery = await new ExampleProcess(
    world,
    exampleArgs(world, 'worker', ['--celery', '-Q', 'emails,media']),
  ).ready()
}, 120_000)

afterAll(() => closeExample(world, all, celery))

describe('examples/social-network', () => {
  test('Django .delay() after registration and upload: the welcome mail goes out, the photo is processed', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_delay.py'), 'utf8'), {
      CELERY_BROKER_URL: world.redisUrl,
    })
    expect(out.code, out.stderr).toBe(0)
    const [welcome, media] = JSON.parse(out.stdout)
    expect(await succeededHere(welcome.email_task_id)).toBeTruthy()
    expect(world.smtp.received.find((m) => m.rcpt.includes('chidi@example.com'))?.mail.text).toContain(
      'chidi',
    )
    const processed = (await succeededHere(media.image_task_id)) as {
      files: { kind: string; width: number }[]
    }
    expect(processed.files.map((f) => [f.kind, f.width])).toEqual([
      ['image', 1080],
      ['thumbnail', 150],
      ['thumbnail', 320],
    ])
    expect(await world.sql`SELECT media_status FROM posts WHERE id = 1`).toEqual([
      { media_status: 'processing' },
    ])
    const [chidi] = await world.sql`SELECT welcomed_at FROM accounts WHERE id = 3`
    expect(chidi.welcomed_at).not.toBeNull()
  })

  test('the REST API: update_user_statistics recounts followers, following and posts', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_rest.py'), 'utf8'), {
      CELERIAC_URL: all.baseUrl,
      CELERIAC_TOKEN: TOKEN,
    })
    expect(out.code, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual({ updated: 3 })
    expect(
      await world.sql`SELECT followers_count, following_count, posts_count FROM accounts ORDER BY id`,
    ).toEqual([
      { followers_count: 2, following_count: 1, posts_count: 2 },
      { followers_count: 1, following_count: 1, posts_count: 1 },
      { followers_count: 0, following_count: 1, posts_count: 1 },
    ])
  })

  test('the seven beat entries, fired now, do their jobs; each runs on its queue with its priority', async () => {
    expect(await runScheduleHere('cleanup-expired-tokens')).toEqual({ deleted: 2 })
    expect(await runScheduleHere('update-trending-hashtags')).toEqual({
      trending: [
        ['celery', 2],
        ['bun', 1],
      ],
    })
    expect(await runScheduleHere('update-post-engagement-scores')).toMatchObject({
      scores: expect.any(Object),
    })
    expect(await runScheduleHere('cleanup-old-posts')).toEqual({ deleted: [3] })
    expect(await runScheduleHere('generate-content-analytics')).toMatchObject({ posts: expect.any(Number) })
    expect(await runScheduleHere('update-user-statistics')).toEqual({ updated: 3 })
    const before = world.smtp.received.length
    expect(await runScheduleHere('send-content-digest-email')).toEqual({ sent: 2, top_posts: 3 })
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && world.smtp.received.length < before + 2) await Bun.sleep(100)
    const digest = world.smtp.received.find((m) => m.mail.subject === 'Your Nexus weekly digest')?.mail
    expect(digest?.text).toContain('Hello #bun #celery')

    const res = await all.fetch('/api/v1/schedules/cleanup-old-posts/run', { method: 'POST' })
    const { task_id } = (await res.json()) as { task_id: string }
    const detail = (await (await all.fetch(`/api/v1/tasks/${task_id}`)).json()) as { queue: string }
    expect(detail.queue).toBe('maintenance')
    await succeededHere(task_id)
  })

  test('the commands the document uses: inspect active, scheduled, stats, conf; ping; purge', async () => {
    for (const what of ['active', 'scheduled', 'stats', 'conf'])
      expect((await all.cli(['inspect', what])).code, what).toBe(0)
    expect((await all.cli(['control', 'ping'])).code).toBe(0)
    expect((await all.cli(['purge', '--all-queues', '--yes'])).code).toBe(0)
  })

  test("every schedule's next fire times follow the document's crontab entries (UTC)", async () => {
    const { schedules } = (await (await all.fetch('/api/v1/schedules')).json()) as {
      schedules: { entry: { name: string; queue?: string }; nextFireTimes: string[] }[]
    }
    const doc: Record<string, string> = {
      'cleanup-expired-tokens': '0 2 * * *',
      'update-user-statistics': '0 3 * * *',
      'update-trending-hashtags': '0 * * * *',
      'cleanup-old-posts': '0 1 * * 0',
      'generate-content-analytics': '0 4 * * *',
      'update-post-engagement-scores': '0 5 * * *',
      'send-content-digest-email': '0 9 * * 1',
    }
    expect(schedules.map((s) => s.entry.name).sort()).toEqual(Object.keys(doc).sort())
    for (const s of schedules) {
      const times = s.nextFireTimes.map((t) => Date.parse(t))
      expect(times.length).toBeGreaterThan(1)
      for (const t of times)
        expect(matchesCron(t, doc[s.entry.name] as string, 'UTC'), s.entry.name).toBe(true)
    }
  })

  test('the README shows both Python files as they are run here', () => expectReadmeShowsPython(world))
})
