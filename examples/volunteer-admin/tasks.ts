/**
 * The AU-VLP admin backend's Celery tasks (models_app/tasks.py), ported: same names, same keyword
 * arguments, the same effects on the app's PostgreSQL data. Mail, images and CSV files go through
 * Celeriac's built-in tasks (email.send, email.bulk, image.process, export.csv), enqueued with
 * ctx.enqueue as the Django code called other tasks with .delay().
 */
import { SQL } from 'bun'
import { defineTask, UnrecoverableError, z } from 'celeriac'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/volunteer_admin'
const SITE_NAME = 'AU-VLP'
const FRONTEND_URL = process.env.FRONTEND_URL ?? 'http://localhost:3000'
/**
 * The Django templates' context (site_name, frontend_url, user) and the names the built-in
 * templates read (app_name, login_url, admin_url, name): both, so either set of templates renders.
 */
const SITE = { site_name: SITE_NAME, frontend_url: FRONTEND_URL, app_name: SITE_NAME }

let pool: SQL | null = null
/** One connection pool per process, opened on first use (the api never needs it). */
function db(): SQL {
  pool ??= new SQL(DATABASE_URL)
  return pool
}

const Context = z.record(z.string(), z.unknown()).default({})

export const sendNotificationEmail = defineTask({
  name: 'models_app.tasks.send_notification_email',
  input: z.object({
    recipient_email: z.email(),
    subject: z.string().min(1).max(200),
    template_name: z.string().min(1),
    context: Context,
  }),
  celeryArgs: ['recipient_email', 'subject', 'template_name', 'context'],
  run: async ({ recipient_email, subject, template_name, context }, ctx) => {
    const sent = await ctx.enqueue('email.send', {
      to: recipient_email,
      subject,
      template: template_name,
      context: { ...SITE, ...context },
    })
    return { success: true, email_task_id: sent.id }
  },
})

export const sendBulkNotificationEmails = defineTask({
  name: 'models_app.tasks.send_bulk_notification_emails',
  input: z.object({
    recipient_emails: z.array(z.email()).min(1).max(100),
    subject: z.string().min(1).max(200),
    template_name: z.string().min(1),
    context: Context,
  }),
  run: async ({ recipient_emails, subject, template_name, context }, ctx) => {
    const sent = await ctx.enqueue('email.bulk', {
      recipients: recipient_emails,
      subject,
      template: template_name,
      context: { ...SITE, ...context },
    })
    return { success: true, recipients: recipient_emails.length, email_task_id: sent.id }
  },
})

export const sendWelcomeEmail = defineTask({
  name: 'models_app.tasks.send_welcome_email',
  input: z
    .object({
      user_id: z.number().int().positive().optional(),
      admin_id: z.number().int().positive().optional(),
      user_type: z.enum(['user', 'admin']).default('user'),
    })
    .refine((i) => (i.user_type === 'admin' ? i.admin_id : i.user_id) !== undefined, {
      message: 'user_type user needs user_id; admin needs admin_id',
      path: ['user_id'],
    }),
  run: async ({ user_id, admin_id, user_type }, ctx) => {
    const [person] =
      user_type === 'admin'
        ? await db()`SELECT id, email, name AS first_name FROM admins WHERE id = ${admin_id}`
        : await db()`SELECT id, email, first_name, last_name FROM users WHERE id = ${user_id}`
    if (!person) throw new UnrecoverableError(`${user_type} ${admin_id ?? user_id} does not exist`)
    const sent = await ctx.enqueue(
      'email.send',
      {
        to: person.email,
        template: `welcome_${user_type}`,
        context: {
          ...SITE,
          user: person,
          name: person.first_name,
          login_url: `${FRONTEND_URL}/login`,
          admin_url: `${FRONTEND_URL}/admin`,
        },
      },
      // A retry of this task must not mail twice.
      { idempotencyKey: `welcome:${user_type}:${person.id}` },
    )
    if (user_type === 'admin') await db()`UPDATE admins SET welcomed_at = now() WHERE id = ${person.id}`
    else await db()`UPDATE users SET welcomed_at = now() WHERE id = ${person.id}`
    return { success: true, email: person.email, email_task_id: sent.id }
  },
})

export const processUploadedImage = defineTask({
  name: 'models_app.tasks.process_uploaded_image',
  input: z.object({
    file_path: z.string().min(1),
    max_width: z.number().int().positive().default(1200),
    max_height: z.number().int().positive().default(800),
    quality: z.number().int().min(1).max(100).default(85),
  }),
  run: async (input, ctx) => {
    const job = await ctx.enqueue('image.process', { ...input, thumbnails: [150, 300] })
    return { success: true, image_task_id: job.id }
  },
})

/** The models an export may read, and their columns: nothing else leaves the database. */
const EXPORTABLE = { user: 'users', content: 'content', activity: 'activity_logs' } as const

export const exportDataToCsv = defineTask({
  name: 'models_app.tasks.export_data_to_csv',
  input: z.object({
    model_name: z.enum(Object.keys(EXPORTABLE) as [keyof typeof EXPORTABLE]),
    filters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
    fields: z.array(z.string()).min(1).optional(),
  }),
  run: async ({ model_name, filters, fields }, ctx) => {
    const job = await ctx.enqueue('export.csv', {
      source: 'app',
      table: EXPORTABLE[model_name],
      filters,
      fields,
    })
    return { success: true, export_task_id: job.id }
  },
})

export const generateAdminReport = defineTask({
  name: 'models_app.tasks.generate_admin_report',
  input: z.object({
    report_type: z.enum(['activity', 'users', 'content']),
    date_from: z.iso.date(),
    date_to: z.iso.date(),
  }),
  timeLimit: { soft: 60_000, hard: 120_000 },
  run: async ({ report_type, date_from, date_to }) => {
    const until = `${date_to}T23:59:59.999Z`
    const rows =
      report_type === 'activity'
        ? await db()`SELECT action AS key, count(*)::int AS count FROM activity_logs
                     WHERE created_at BETWEEN ${date_from} AND ${until} GROUP BY action ORDER BY action`
        : report_type === 'users'
          ? await db()`SELECT CASE status WHEN 1 THEN 'active' ELSE 'inactive' END AS key, count(*)::int AS count
                       FROM users WHERE created_at BETWEEN ${date_from} AND ${until} GROUP BY 1 ORDER BY 1`
          : await db()`SELECT status AS key, count(*)::int AS count FROM content GROUP BY status ORDER BY status`
    const counts = Object.fromEntries(rows.map((r: { key: string; count: number }) => [r.key, r.count]))
    return { success: true, report_type, date_from, date_to, counts }
  },
})

export const publishScheduledContent = defineTask({
  name: 'models_app.tasks.publish_scheduled_content',
  input: z.object({}),
  run: async () => {
    const published = await db()`UPDATE content SET status = 'published', published_at = now()
                                 WHERE status = 'scheduled' AND publish_at <= now() RETURNING id`
    return { success: true, published: published.map((r: { id: number }) => r.id) }
  },
})

/** Activity logs older than this go; content past its expiry is marked expired. */
const ACTIVITY_KEPT_DAYS = 90

export const cleanupExpiredContent = defineTask({
  name: 'models_app.tasks.cleanup_expired_content',
  input: z.object({}),
  run: async () => {
    const logs = await db()`DELETE FROM activity_logs
                            WHERE created_at < now() - make_interval(days => ${ACTIVITY_KEPT_DAYS}) RETURNING id`
    const expired = await db()`UPDATE content SET status = 'expired'
                               WHERE status = 'published' AND expires_at < now() RETURNING id`
    return { success: true, deleted_logs: logs.length, expired_content: expired.length }
  },
})

export const systemHealthCheck = defineTask({
  name: 'models_app.tasks.system_health_check',
  input: z.object({}),
  timeLimit: { hard: 30_000 },
  run: async (_, ctx) => {
    const started = performance.now()
    await db()`SELECT 1`
    // Celeriac's own check covers the broker, folders and SMTP (and CELERIAC_HEALTH_CHECKS).
    const celeriac = await ctx.enqueue('system.health_check', {})
    return {
      success: true,
      database: { ok: true, ms: Math.round(performance.now() - started) },
      celeriac_check_task_id: celeriac.id,
    }
  },
})
