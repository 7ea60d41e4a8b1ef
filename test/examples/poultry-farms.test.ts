import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { seed } from '../../examples/poultry-farms/seed.ts'
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
  runSchedule,
  succeeded,
  TOKEN,
  waitClearOfScheduleMarks,
  waitUntil,
} from './example-harness.ts'

/**
 * examples/poultry-farms end to end: the YEA Poultry Management System's 35 tasks and 19 beat
 * entries (Africa/Accra) on celeriac (the compiled binary in CI) over Redis, with its PostgreSQL
 * data, SMS through a provider stub, mail through a real SMTP server, and Python Celery calling
 * `.delay()` with positional arguments as the Django code does.
 */
// Each test runs several tasks through real processes end to end.
setDefaultTimeout(90_000)

let world: ExampleWorld
let all: App
let celery: App
let config: { schedules: { name: string; task: string; cron: string; timezone: string }[] }

const enqueue = (task: string, body: unknown) => postTask(all, task, body)
const succeededHere = (id: string) => succeeded(all, id)
const runScheduleHere = (name: string) => runSchedule(all, name)
const waitFor = waitUntil
const smsTo = (phone: string) => world.sms.sent.filter((s) => s.to === phone).map((s) => s.message)

beforeAll(async () => {
  world = await openWorld('poultry-farms', 9)
  // Their beat entries clean up and sync the seeded rows: none may fire while the tests run.
  await waitClearOfScheduleMarks(world, 45_000)
  await seed(world.sql)
  config = JSON.parse(readFileSync(join(world.folder, 'celeriac.json'), 'utf8'))
  world.env.CELERIAC_BROKER_URL = world.redisUrl
  all = await new ExampleProcess(world, exampleArgs(world, 'all')).ready()
  celery = await new ExampleProcess(world, exampleArgs(world, 'worker', ['--celery', '-Q', 'celery'])).ready()
}, 120_000)

afterAll(() => closeExample(world, all, celery))

describe('examples/poultry-farms', () => {
  test('Django .delay() with positional arguments: the SMS goes out and the application is approved', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_delay.py'), 'utf8'), {
      CELERY_BROKER_URL: world.redisUrl,
    })
    expect(out.code, out.stderr).toBe(0)
    await waitFor('both texts', () => smsTo('+233244123456').length >= 2)
    expect(smsTo('+233244123456')).toContain('Your verification code is 123456')
    expect(smsTo('+233244123456').some((m) => m.includes('Approved'))).toBe(true)
    const [application] = await world.sql`SELECT status FROM applications WHERE id = 1`
    expect(application.status).toBe('Approved')
  })

  test('Django over REST: the dashboard cache is refreshed and the farm report is mailed', async () => {
    const out = await runPythonSnippet(readFileSync(join(world.folder, 'python/django_rest.py'), 'utf8'), {
      CELERIAC_URL: all.baseUrl,
      CELERIAC_TOKEN: TOKEN,
    })
    expect(out.code, out.stderr).toBe(0)
    const [refreshed, report] = JSON.parse(out.stdout)
    expect(refreshed.refreshed).toEqual(['executive_overview', 'alerts'])
    expect(report.report).toContain('Mensah Layers')
    const [overview] = await world.sql`SELECT value FROM metrics WHERE key = 'dashboard:executive_overview'`
    expect(overview.value).toEqual({ farms: 2, birds: 2000, eggs_last_30d: 27000 })
    await waitFor('the report mail', () =>
      world.smtp.received.some((m) => m.rcpt.includes('farmer@example.com')),
    )
  })

  test('the on-demand tasks: email, bulk SMS, admin alert, batch status, reports, account messages, leads', async () => {
    const mails = world.smtp.received.length
    await succeededHere(
      await enqueue('core.tasks.send_email_async', {
        subject: 'Welcome to YEA Poultry',
        message: 'Your account has been created.',
        recipient_list: ['farmer@example.com', 'ama@example.com'],
        html_message: '<h1>Welcome!</h1><p>Your account is ready.</p>',
      }),
    )
    await succeededHere(
      await enqueue('core.tasks.process_bulk_sms', {
        phones: ['+233201234567', '+233277000001'],
        message: 'Feed prices drop',
      }),
    )
    await succeededHere(
      await enqueue('core.tasks.send_admin_notification', {
        notification_type: 'outbreak',
        context: { region: 'Ashanti' },
      }),
    )
    expect(
      await succeededHere(
        await enqueue('farms.tasks.notify_batch_enrollment_status', {
          batch: '2026-B1',
          new_status: 'Enrolled',
        }),
      ),
    ).toEqual({ notified: 2 })
    expect(
      await succeededHere(
        await enqueue('dashboards.tasks.generate_production_report', { region: 'Ashanti' }),
      ),
    ).toEqual({
      farms: [{ name: 'Mensah Layers', birds: 1200, eggs_last_30d: 27000 }],
    })
    for (const task of [
      'send_welcome_notification',
      'send_login_alert',
      'notify_role_change',
      'send_mfa_alert',
    ])
      await succeededHere(await enqueue(`accounts.tasks.${task}`, { account_id: 2, detail: 'manager' }))
    await succeededHere(
      await enqueue('accounts.tasks.send_password_reset_notification', { account_id: '2', detail: '481516' }),
    )
    expect(
      await succeededHere(await enqueue('advertising.tasks.process_new_advertiser_lead', { lead_id: 1 })),
    ).toEqual({
      contacted: 'sales@agro.example',
    })
    await waitFor('the texts', () => smsTo('+233201234567').length >= 7 && smsTo('+233277000001').length >= 2)
    expect(smsTo('+233201234567')).toContain('Your password reset code is 481516. It expires in 10 minutes.')
    expect(smsTo('+233201234567')).toContain('Your role is now manager.')
    await waitFor('the mails', () => world.smtp.received.length >= mails + 3)
    const unknown = await resultOf(
      all,
      await enqueue('accounts.tasks.send_welcome_notification', { account_id: 999 }),
    )
    expect(unknown.state).toBe('FAILURE')
  })

  test('each of the 19 beat entries, fired now, does its job on the app data', async () => {
    expect(await runScheduleHere('token-cleanup')).toEqual({ deleted: 1 })
    expect(await runScheduleHere('marketplace-activation-check')).toEqual({ deactivated: 1 })
    expect(await runScheduleHere('expiration-warnings')).toEqual({ warned: 1 })
    expect(await runScheduleHere('order-commission-sync')).toEqual({ synced: 3 })
    expect(await world.sql`SELECT commission::float AS c FROM orders ORDER BY id`).toEqual([
      { c: 5 },
      { c: 12.5 },
      { c: 2 },
    ])
    expect(await runScheduleHere('farm-scores')).toMatchObject({
      scores: { 1: expect.any(Number), 2: expect.any(Number) },
    })
    const [layers, broilers] = await world.sql`SELECT score::float AS s FROM farms ORDER BY id`
    expect(layers.s).toBeGreaterThan(broilers.s)
    expect(await runScheduleHere('farmer-locations')).toEqual({ synced: 2 })
    expect(await runScheduleHere('expiring-offers')).toEqual({ warned: 1 })
    expect(await runScheduleHere('deactivate-expired-offers')).toEqual({ deactivated: 1 })
    expect(await runScheduleHere('partner-earnings')).toEqual({
      earnings: [{ partner_id: 4, clicks: 35, earnings: 3.5 }],
    })
    expect(await runScheduleHere('advertising-analytics')).toEqual({ partners: 1 })
    expect(await runScheduleHere('pending-applications')).toMatchObject({ stale: [] })
    expect(await runScheduleHere('enrollment-reminders')).toMatchObject({ reminded: 0 })
    expect(await runScheduleHere('old-data-cleanup')).toEqual({ deleted: 1 })
    expect(await runScheduleHere('platform-revenue')).toMatchObject({ orders: expect.any(Number) })
    for (const name of [
      'system-health-report',
      'system-metrics',
      'dashboard-daily-metrics',
      'dashboard-regional-metrics',
    ])
      await runScheduleHere(name)
    expect(await runScheduleHere('weekly-report')).toMatchObject({ sent_to: 1, farms: 2 })
    const keys = (await world.sql`SELECT key FROM metrics ORDER BY key`).map((r: { key: string }) => r.key)
    expect(keys).toEqual(
      expect.arrayContaining([
        'system_health',
        'system_metrics',
        'dashboard:regional',
        'dashboard:alerts',
        'platform_revenue:yesterday',
        'advertising',
        'partner_earnings',
        'weekly_report',
      ]),
    )
    await waitFor('the weekly report mail', () =>
      world.smtp.received.some((m) => m.mail.subject === 'YEA Poultry weekly report'),
    )
    await waitFor('the expiry texts', () =>
      smsTo('+233244123456').some((m) => m.includes('activation has expired')),
    )
  })

  test("every schedule's next fire times follow the document's crontab on Accra's clock", async () => {
    const { schedules } = (await (await all.fetch('/api/v1/schedules')).json()) as {
      schedules: { entry: { name: string; cron: string; timezone: string }; nextFireTimes: string[] }[]
    }
    expect(schedules).toHaveLength(19)
    // The document's beat table, read here independently of the config file.
    const doc: Record<string, string> = {
      'system-health-report': '*/30 * * * *',
      'system-metrics': '0 * * * *',
      'order-commission-sync': '0 */4 * * *',
      'marketplace-activation-check': '0 */6 * * *',
      'token-cleanup': '0 */12 * * *',
      'dashboard-daily-metrics': '0 1 * * *',
      'dashboard-regional-metrics': '30 1 * * *',
      'platform-revenue': '0 2 * * *',
      'farm-scores': '0 3 * * *',
      'farmer-locations': '30 3 * * *',
      'advertising-analytics': '0 4 * * *',
      'expiration-warnings': '0 8 * * *',
      'expiring-offers': '30 8 * * *',
      'deactivate-expired-offers': '0 0 * * *',
      'enrollment-reminders': '0 9 * * 1-5',
      'pending-applications': '0 10 * * 1-5',
      'old-data-cleanup': '0 2 * * 0',
      'partner-earnings': '0 5 * * 0',
      'weekly-report': '0 6 * * 1',
    }
    const now = Date.now()
    for (const s of schedules) {
      const cron = doc[s.entry.name] as string
      expect(cron, s.entry.name).toBeDefined()
      expect(s.entry.timezone).toBe('Africa/Accra')
      const times = s.nextFireTimes.map((t) => Date.parse(t))
      expect(times.length).toBeGreaterThan(1)
      expect(times[0] as number).toBeGreaterThan(now - 1_000)
      for (const t of times)
        expect(matchesCron(t, cron, 'Africa/Accra'), `${s.entry.name} ${new Date(t).toISOString()}`).toBe(
          true,
        )
    }
    expect(config.schedules.map((s) => s.name).sort()).toEqual(Object.keys(doc).sort())
  })

  test("the document's monitoring commands: inspect active, scheduled and reserved answer", async () => {
    for (const what of ['active', 'scheduled', 'reserved']) {
      const out = await all.cli(['inspect', what, '--json'])
      expect(out.code, out.stderr).toBe(0)
    }
  })

  test('the README shows both Python files as they are run here', () => expectReadmeShowsPython(world))
})
