/**
 * The portfolio site's Celery tasks (apps/main/tasks.py), ported: same names and arguments, the
 * same effects on the site's PostgreSQL data. Notifications go through Celeriac's built-in
 * `email.send` and `sms.send`; backups are CSV exports of the site's tables through `export.csv`.
 */
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SQL } from 'bun'
import { defineTask, UnrecoverableError, z } from 'celeriac'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/portfolio_site'
/** Where the site writes temporary files (uploads in progress, rendered previews). */
const TEMP_DIR = process.env.PORTFOLIO_TEMP_DIR ?? './data/tmp'
const TEMP_MAX_AGE_MS = 3_600_000
/** The tables a backup exports, with their columns (the `app` export source in celeriac.json allows them). */
const BACKED_UP = {
  site_users: ['id', 'name', 'email'],
  projects: ['id', 'title', 'likes'],
  user_actions: ['id', 'user_id', 'action', 'processed_at'],
  analytics: ['path', 'views', 'updated_at'],
}

let pool: SQL | null = null
/** One connection pool per process, opened on first use (the api never needs it). */
function db(): SQL {
  pool ??= new SQL(DATABASE_URL)
  return pool
}

export const sendNotification = defineTask({
  name: 'apps.main.tasks.send_notification',
  input: z.object({
    user_id: z.number().int().positive(),
    message: z.string().min(1).max(1_000),
    channels: z
      .array(z.enum(['email', 'sms']))
      .min(1)
      .default(['email']),
  }),
  celeryArgs: ['user_id', 'message', 'channels'],
  run: async ({ user_id, message, channels }, ctx) => {
    const [user] = await db()`SELECT id, name, email, phone FROM site_users WHERE id = ${user_id}`
    if (!user) throw new UnrecoverableError(`user ${user_id} does not exist`)
    const sent: string[] = []
    for (const channel of channels) {
      if (channel === 'sms' && !user.phone) continue
      // One key per channel and notification: a retry after a partial send never repeats one.
      const key = `${ctx.rootId ?? ctx.id}:${channel}`
      if (channel === 'email')
        await ctx.enqueue(
          'email.send',
          { to: user.email, subject: 'Notification', text: message },
          { idempotencyKey: key },
        )
      else await ctx.enqueue('sms.send', { to: user.phone, message }, { idempotencyKey: key })
      await db()`INSERT INTO notifications_sent (user_id, channel, message) VALUES (${user.id}, ${channel}, ${message})`
      sent.push(channel)
    }
    return { sent }
  },
})

export const processUserAction = defineTask({
  name: 'apps.main.tasks.process_user_action',
  input: z.object({
    user_id: z.number().int().positive(),
    action: z.enum(['like', 'unlike', 'view', 'contact']),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
  celeryArgs: ['user_id', 'action', 'data'],
  run: async ({ user_id, action, data }) => {
    await db()`INSERT INTO user_actions (user_id, action, data) VALUES (${user_id}, ${action}, ${JSON.stringify(data)}::text::jsonb)`
    const project = Number(data.project_id)
    if ((action === 'like' || action === 'unlike') && Number.isInteger(project)) {
      const delta = action === 'like' ? 1 : -1
      const [row] =
        await db()`UPDATE projects SET likes = greatest(0, likes + ${delta}) WHERE id = ${project} RETURNING likes`
      return { action, project_id: project, likes: row?.likes ?? null }
    }
    return { action }
  },
})

export const updateAnalytics = defineTask({
  name: 'apps.main.tasks.update_analytics',
  input: z.object({}),
  run: async () => {
    const rows = await db()`INSERT INTO analytics (path, views, updated_at)
      SELECT path, count(*)::int, now() FROM page_views GROUP BY path
      ON CONFLICT (path) DO UPDATE SET views = excluded.views, updated_at = now() RETURNING path, views`
    return { paths: Object.fromEntries(rows.map((r: { path: string; views: number }) => [r.path, r.views])) }
  },
})

export const cleanupTempFiles = defineTask({
  name: 'apps.main.tasks.cleanup_temp_files',
  input: z.object({}),
  run: async () => {
    let files = 0
    const names = await readdir(TEMP_DIR).catch(() => [] as string[])
    for (const name of names) {
      const path = join(TEMP_DIR, name)
      const info = await stat(path).catch(() => null)
      if (info?.isFile() && Date.now() - info.mtimeMs > TEMP_MAX_AGE_MS) {
        await rm(path, { force: true })
        files++
      }
    }
    const cache = await db()`DELETE FROM cache_entries WHERE expires_at < now() RETURNING key`
    return { files_removed: files, cache_entries_removed: cache.length }
  },
})

export const healthCheck = defineTask({
  name: 'apps.main.tasks.health_check',
  input: z.object({}),
  timeLimit: { soft: 10_000, hard: 20_000 },
  run: async () => {
    const started = performance.now()
    await db()`SELECT 1`
    return { status: 'healthy', database_ms: Math.round(performance.now() - started) }
  },
})

export const generateReports = defineTask({
  name: 'apps.main.tasks.generate_reports',
  input: z.object({ report_type: z.enum(['system', 'performance']).default('system') }),
  celeryArgs: ['report_type'],
  run: async ({ report_type }) => {
    const [body] =
      report_type === 'system'
        ? await db()`SELECT (SELECT count(*) FROM site_users)::int AS users, (SELECT count(*) FROM projects)::int AS projects,
            (SELECT count(*) FROM user_actions)::int AS actions, (SELECT count(*) FROM notifications_sent)::int AS notifications`
        : await db()`SELECT (SELECT coalesce(sum(views), 0) FROM analytics)::int AS page_views,
            (SELECT count(*) FROM analytics)::int AS pages`
    const [saved] =
      await db()`INSERT INTO reports (report_type, body) VALUES (${report_type}, ${JSON.stringify(body)}::text::jsonb) RETURNING id`
    return { report_id: saved.id, report_type, ...body }
  },
})

export const backupData = defineTask({
  name: 'apps.main.tasks.backup_data',
  input: z.object({}),
  run: async (_, ctx) => {
    const exports: Record<string, string> = {}
    for (const [table, fields] of Object.entries(BACKED_UP))
      exports[table] = (await ctx.enqueue('export.csv', { source: 'app', table, fields })).id
    return { export_task_ids: exports }
  },
})
