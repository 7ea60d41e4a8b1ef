/**
 * SenangKira's dashboard Celery tasks (dashboard/tasks.py), ported: same names and keyword
 * arguments, the same effects on the app's PostgreSQL data. Notifications go through Celeriac's
 * built-in `email.send` (template `notification`), CSV exports through `export.csv`.
 */
import { SQL } from 'bun'
import { defineTask, UnrecoverableError, z } from 'celeriac'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/business_dashboard'

let pool: SQL | null = null
/** One connection pool per process, opened on first use (the api never needs it). */
function db(): SQL {
  pool ??= new SQL(DATABASE_URL)
  return pool
}

const UserId = z.number().int().positive()

/** The figures one user's dashboard shows, computed from their invoices. */
async function computeDashboard(userId: number) {
  const [row] = await db()`SELECT count(*)::int AS invoices,
      coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)::float AS paid,
      coalesce(sum(amount) FILTER (WHERE status IN ('sent', 'overdue')), 0)::float AS outstanding,
      count(*) FILTER (WHERE status = 'overdue')::int AS overdue
    FROM invoices WHERE user_id = ${userId}`
  return row
}

async function cacheDashboards(userId: number | undefined, warmed: boolean, onlyMissing: boolean) {
  const users: { id: number }[] =
    userId !== undefined
      ? await db()`SELECT id FROM app_users WHERE id = ${userId}`
      : onlyMissing
        ? await db()`SELECT u.id FROM app_users u LEFT JOIN dashboard_cache c ON c.user_id = u.id
                     WHERE c.user_id IS NULL OR c.refreshed_at < now() - interval '1 hour' ORDER BY u.id`
        : await db()`SELECT id FROM app_users ORDER BY id`
  if (userId !== undefined && users.length === 0)
    throw new UnrecoverableError(`user ${userId} does not exist`)
  for (const { id } of users) {
    const payload = JSON.stringify(await computeDashboard(id))
    await db()`INSERT INTO dashboard_cache (user_id, payload, refreshed_at, warmed) VALUES (${id}, ${payload}::text::jsonb, now(), ${warmed})
      ON CONFLICT (user_id) DO UPDATE SET payload = excluded.payload, refreshed_at = now(), warmed = excluded.warmed`
  }
  return users.map((u) => u.id)
}

export const refreshDashboardCache = defineTask({
  name: 'dashboard.tasks.refresh_dashboard_cache',
  input: z.object({ user_id: UserId.optional() }),
  celeryArgs: ['user_id'],
  run: async ({ user_id }) => ({ refreshed: await cacheDashboards(user_id, false, false) }),
})

export const warmDashboardCache = defineTask({
  name: 'dashboard.tasks.warm_dashboard_cache',
  input: z.object({ user_id: UserId.optional() }),
  celeryArgs: ['user_id'],
  run: async ({ user_id }) => ({ warmed: await cacheDashboards(user_id, true, true) }),
})

export const performanceAnalysis = defineTask({
  name: 'dashboard.tasks.performance_analysis',
  input: z.object({}),
  run: async () => {
    const users: { id: number }[] = await db()`SELECT id FROM app_users ORDER BY id`
    const timings: number[] = []
    for (const { id } of users) {
      const started = performance.now()
      await computeDashboard(id)
      timings.push(performance.now() - started)
    }
    const [cache] = await db()`SELECT count(*)::int AS cached,
      count(*) FILTER (WHERE refreshed_at > now() - interval '1 hour')::int AS fresh FROM dashboard_cache`
    const body = {
      users: users.length,
      slowest_ms: Math.round(Math.max(0, ...timings) * 100) / 100,
      cached: cache.cached,
      fresh: cache.fresh,
    }
    await db()`INSERT INTO performance_runs (body) VALUES (${JSON.stringify(body)}::text::jsonb)`
    return body
  },
})

export const exportDashboardData = defineTask({
  name: 'dashboard.tasks.export_dashboard_data',
  input: z.object({
    user_id: UserId,
    export_format: z.enum(['json', 'csv']).default('json'),
    date_range: z.object({ start: z.iso.date(), end: z.iso.date() }).optional(),
  }),
  celeryArgs: ['user_id', 'export_format', 'date_range'],
  run: async ({ user_id, export_format, date_range }, ctx) => {
    const range = date_range ?? { start: '1970-01-01', end: '9999-12-31' }
    if (export_format === 'csv') {
      const job = await ctx.enqueue('export.csv', {
        source: 'app',
        table: 'invoices',
        fields: ['id', 'client', 'amount', 'status', 'issued_on'],
        filters: { user_id, issued_on: { gte: range.start, lte: range.end } },
      })
      return { export_format, export_task_id: job.id }
    }
    const invoices =
      await db()`SELECT id, client, amount::float AS amount, status, issued_on::text AS issued_on
      FROM invoices WHERE user_id = ${user_id} AND issued_on BETWEEN ${range.start} AND ${range.end} ORDER BY id`
    return { export_format, user_id, invoices }
  },
})

const TITLES = { info: 'Update', warning: 'Warning', alert: 'Alert' } as const

export const sendNotification = defineTask({
  name: 'dashboard.tasks.send_notification',
  input: z.object({
    user_id: UserId,
    message: z.string().min(1).max(2_000),
    notification_type: z.enum(['info', 'warning', 'alert']).default('info'),
  }),
  celeryArgs: ['user_id', 'message', 'notification_type'],
  run: async ({ user_id, message, notification_type }, ctx) => {
    const [user] = await db()`SELECT email FROM app_users WHERE id = ${user_id}`
    if (!user) throw new UnrecoverableError(`user ${user_id} does not exist`)
    const mail = await ctx.enqueue(
      'email.send',
      {
        to: user.email,
        template: 'notification',
        context: { title: TITLES[notification_type], message, app_name: 'SenangKira' },
      },
      { idempotencyKey: `notify:${ctx.id}` },
    )
    await db()`INSERT INTO user_notifications (user_id, notification_type, message) VALUES (${user_id}, ${notification_type}, ${message})`
    return { email_task_id: mail.id }
  },
})

export const cleanupOldData = defineTask({
  name: 'dashboard.tasks.cleanup_old_data',
  input: z.object({ days_old: z.number().int().positive().default(30) }),
  celeryArgs: ['days_old'],
  run: async ({ days_old }) => {
    const gone =
      await db()`DELETE FROM dashboard_events WHERE created_at < now() - make_interval(days => ${days_old}) RETURNING id`
    return { deleted: gone.length, days_old }
  },
})

export const debugTask = defineTask({
  name: 'dashboard.tasks.debug_task',
  input: z.object({}),
  run: async (_, ctx) => ({ id: ctx.id, queue: ctx.queue, attempt: ctx.attempt }),
})
