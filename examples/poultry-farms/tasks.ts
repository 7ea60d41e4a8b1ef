/**
 * The YEA Poultry Management System's Celery tasks (core, dashboards, farms, sales_revenue,
 * accounts, advertising), ported: same names and arguments (positional ones in the order the
 * Django code passes them, via `celeryArgs`), the same effects on the app's PostgreSQL data.
 * SMS (Hubtel in the original) and email go through Celeriac's built-in `sms.send` and
 * `email.send`, so the provider is configuration (CELERIAC_SMS_URL, CELERIAC_SMTP_URL).
 */
import { SQL } from 'bun'
import { defineTask, type TaskContext, UnrecoverableError, z } from 'celeriac'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/poultry_farms'
let pool: SQL | null = null
/** One connection pool per process, opened on first use (the api never needs it). */
function db(): SQL {
  pool ??= new SQL(DATABASE_URL)
  return pool
}

const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +233244123456')
const Id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number)
/** External calls (SMS, email) retry; the rest fail fast and are retried by their next schedule. */
const EXTERNAL_RETRY = {
  max: 5,
  backoff: 'exponential',
  delay: 30_000,
  maxDelay: 600_000,
  jitter: true,
} as const
const LIMITS = { soft: 240_000, hard: 300_000 }

interface Account {
  id: number
  name: string
  phone: string
  email: string
}

async function account(id: number): Promise<Account> {
  const [found] = await db()`SELECT id, name, phone, email FROM accounts WHERE id = ${id}`
  if (!found) throw new UnrecoverableError(`account ${id} does not exist`)
  return found
}

/** Texts an account and keeps the notification the app shows in its inbox. */
async function notify(ctx: TaskContext, to: Account, kind: string, body: string): Promise<string> {
  const sms = await ctx.enqueue(
    'sms.send',
    { to: to.phone, message: body },
    { idempotencyKey: `${ctx.id}:${to.id}` },
  )
  await db()`INSERT INTO notifications (account_id, kind, body) VALUES (${to.id}, ${kind}, ${body})`
  return sms.id
}

async function putMetric(key: string, value: unknown): Promise<void> {
  await db()`INSERT INTO metrics (key, value, computed_at) VALUES (${key}, ${JSON.stringify(value)}::text::jsonb, now())
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, computed_at = now()`
}

async function admins(): Promise<Account[]> {
  return await db()`SELECT id, name, phone, email FROM accounts WHERE role = 'admin' ORDER BY id`
}

// ---- core/tasks.py

export const sendSmsAsync = defineTask({
  name: 'core.tasks.send_sms_async',
  input: z.object({ phone: Phone, message: z.string().min(1).max(1_600) }),
  celeryArgs: ['phone', 'message'],
  run: async ({ phone, message }, ctx) => ({
    sms_task_id: (await ctx.enqueue('sms.send', { to: phone, message })).id,
  }),
})

export const sendEmailAsync = defineTask({
  name: 'core.tasks.send_email_async',
  input: z.object({
    subject: z.string().min(1).max(200),
    message: z.string().min(1),
    recipient_list: z.array(z.email()).min(1).max(100),
    html_message: z.string().optional(),
  }),
  celeryArgs: ['subject', 'message', 'recipient_list', 'html_message'],
  run: async ({ subject, message, recipient_list, html_message }, ctx) => {
    const ids: string[] = []
    for (const to of recipient_list)
      ids.push((await ctx.enqueue('email.send', { to, subject, text: message, html: html_message })).id)
    return { email_task_ids: ids }
  },
})

export const cleanupOldNotifications = defineTask({
  name: 'core.tasks.cleanup_old_notifications',
  input: z.object({ days: z.number().int().positive().default(90) }),
  run: async ({ days }) => {
    const gone =
      await db()`DELETE FROM notifications WHERE created_at < now() - make_interval(days => ${days}) RETURNING id`
    return { deleted: gone.length }
  },
})

export const generateSystemHealthReport = defineTask({
  name: 'core.tasks.generate_system_health_report',
  input: z.object({}),
  timeLimit: { hard: 60_000 },
  run: async (_, ctx) => {
    const started = performance.now()
    await db()`SELECT 1`
    const report = { database_ms: Math.round(performance.now() - started), checked_by: ctx.id }
    await putMetric('system_health', report)
    return report
  },
})

export const aggregateSystemMetrics = defineTask({
  name: 'core.tasks.aggregate_system_metrics',
  input: z.object({}),
  run: async () => {
    const [row] = await db()`SELECT (SELECT count(*) FROM accounts)::int AS accounts,
      (SELECT count(*) FROM farms)::int AS farms, (SELECT count(*) FROM orders)::int AS orders`
    await putMetric('system_metrics', row)
    return row
  },
})

export const sendAdminNotification = defineTask({
  name: 'core.tasks.send_admin_notification',
  input: z.object({
    notification_type: z.string().min(1).max(100),
    context: z.record(z.string(), z.unknown()).default({}),
  }),
  celeryArgs: ['notification_type', 'context'],
  retry: EXTERNAL_RETRY,
  run: async ({ notification_type, context }, ctx) => {
    const body = `[${notification_type}] ${JSON.stringify(context).slice(0, 300)}`
    const to = await admins()
    for (const admin of to) await notify(ctx, admin, `admin:${notification_type}`, body)
    return { notified: to.length }
  },
})

export const processBulkSms = defineTask({
  name: 'core.tasks.process_bulk_sms',
  input: z.object({ phones: z.array(Phone).min(1).max(1_000), message: z.string().min(1).max(1_600) }),
  celeryArgs: ['phones', 'message'],
  run: async ({ phones, message }, ctx) => ({
    sms_task_id: (await ctx.enqueue('sms.bulk', { recipients: [...new Set(phones)], message })).id,
  }),
})

// ---- dashboards/tasks.py

const DASHBOARD_KEYS = ['executive_overview', 'regional', 'alerts'] as const

async function computeDashboard(key: (typeof DASHBOARD_KEYS)[number]): Promise<unknown> {
  if (key === 'regional')
    return await db()`SELECT region, count(*)::int AS farms, sum(birds)::int AS birds FROM farms GROUP BY region ORDER BY region`
  if (key === 'alerts')
    return await db()`SELECT id, name, mortality_last_30d FROM farms WHERE mortality_last_30d * 100 > birds * 3 ORDER BY id`
  const [row] = await db()`SELECT count(*)::int AS farms, coalesce(sum(birds), 0)::int AS birds,
    coalesce(sum(eggs_last_30d), 0)::int AS eggs_last_30d FROM farms`
  return row
}

export const aggregateDailyMetrics = defineTask({
  name: 'dashboards.tasks.aggregate_daily_metrics',
  input: z.object({}),
  timeLimit: LIMITS,
  run: async () => {
    for (const key of DASHBOARD_KEYS) await putMetric(`dashboard:${key}`, await computeDashboard(key))
    return { refreshed: DASHBOARD_KEYS }
  },
})

export const aggregateRegionalMetrics = defineTask({
  name: 'dashboards.tasks.aggregate_regional_metrics',
  input: z.object({}),
  timeLimit: LIMITS,
  run: async () => {
    const regions = await computeDashboard('regional')
    await putMetric('dashboard:regional', regions)
    return { regions }
  },
})

export const generateWeeklyReport = defineTask({
  name: 'dashboards.tasks.generate_weekly_report',
  input: z.object({}),
  timeLimit: LIMITS,
  run: async (_, ctx) => {
    const overview = (await computeDashboard('executive_overview')) as Record<string, number>
    const text = `Weekly summary: ${overview.farms} farms, ${overview.birds} birds, ${overview.eggs_last_30d} eggs in 30 days.`
    const to = await admins()
    for (const admin of to)
      await ctx.enqueue('email.send', { to: admin.email, subject: 'YEA Poultry weekly report', text })
    await putMetric('weekly_report', overview)
    return { sent_to: to.length, ...overview }
  },
})

export const refreshDashboardCache = defineTask({
  name: 'dashboards.tasks.refresh_dashboard_cache',
  input: z.object({
    cache_keys: z
      .array(z.enum(DASHBOARD_KEYS))
      .min(1)
      .default([...DASHBOARD_KEYS]),
  }),
  celeryArgs: ['cache_keys'],
  run: async ({ cache_keys }) => {
    for (const key of cache_keys) await putMetric(`dashboard:${key}`, await computeDashboard(key))
    return { refreshed: cache_keys }
  },
})

export const generateProductionReport = defineTask({
  name: 'dashboards.tasks.generate_production_report',
  input: z.object({ region: z.string().optional() }),
  celeryArgs: ['region'],
  run: async ({ region }) => {
    const farms = region
      ? await db()`SELECT name, birds, eggs_last_30d FROM farms WHERE region = ${region} ORDER BY name`
      : await db()`SELECT name, birds, eggs_last_30d FROM farms ORDER BY name`
    return { farms }
  },
})

// ---- farms/tasks.py

export const sendEnrollmentReminders = defineTask({
  name: 'farms.tasks.send_enrollment_reminders',
  input: z.object({}),
  retry: EXTERNAL_RETRY,
  run: async (_, ctx) => {
    const due = await db()`SELECT a.id, f.owner_id FROM applications a JOIN farms f ON f.id = a.farm_id
      WHERE a.status = 'Pending' AND (a.reminded_at IS NULL OR a.reminded_at < now() - interval '7 days')`
    for (const row of due) {
      await notify(
        ctx,
        await account(row.owner_id),
        'enrollment_reminder',
        'Reminder: complete your YEA Poultry enrollment.',
      )
      await db()`UPDATE applications SET reminded_at = now() WHERE id = ${row.id}`
    }
    return { reminded: due.length }
  },
})

export const notifyApplicationStatusChange = defineTask({
  name: 'farms.tasks.notify_application_status_change',
  input: z.object({
    application_id: Id,
    new_status: z.string().min(1).max(50),
    message: z.string().max(1_000).default(''),
  }),
  celeryArgs: ['application_id', 'new_status', 'message'],
  retry: EXTERNAL_RETRY,
  run: async ({ application_id, new_status, message }, ctx) => {
    const [row] = await db()`UPDATE applications a SET status = ${new_status}, updated_at = now() FROM farms f
      WHERE a.id = ${application_id} AND f.id = a.farm_id RETURNING f.owner_id`
    if (!row) throw new UnrecoverableError(`application ${application_id} does not exist`)
    const text = `Your application is now ${new_status}. ${message}`.trim()
    return { sms_task_id: await notify(ctx, await account(row.owner_id), 'application_status', text) }
  },
})

export const notifyBatchEnrollmentStatus = defineTask({
  name: 'farms.tasks.notify_batch_enrollment_status',
  input: z.object({ batch: z.string().min(1), new_status: z.string().min(1).max(50) }),
  celeryArgs: ['batch', 'new_status'],
  retry: EXTERNAL_RETRY,
  run: async ({ batch, new_status }, ctx) => {
    const rows = await db()`UPDATE applications a SET status = ${new_status}, updated_at = now() FROM farms f
      WHERE a.batch = ${batch} AND f.id = a.farm_id RETURNING f.owner_id`
    for (const row of rows)
      await notify(ctx, await account(row.owner_id), 'batch_status', `Batch ${batch}: ${new_status}`)
    return { notified: rows.length }
  },
})

export const checkPendingApplications = defineTask({
  name: 'farms.tasks.check_pending_applications',
  input: z.object({ stale_days: z.number().int().positive().default(14) }),
  run: async ({ stale_days }, ctx) => {
    const stale = await db()`SELECT id FROM applications WHERE status = 'Pending'
      AND submitted_at < now() - make_interval(days => ${stale_days}) ORDER BY id`
    if (stale.length > 0)
      await ctx.enqueue('core.tasks.send_admin_notification', {
        notification_type: 'stale_applications',
        context: { ids: stale.map((r: { id: number }) => r.id) },
      })
    return { stale: stale.map((r: { id: number }) => r.id) }
  },
})

export const syncFarmerLocations = defineTask({
  name: 'farms.tasks.sync_farmer_locations',
  input: z.object({}),
  run: async () => {
    // The GIS service of the original is out of scope: the sync stamps farms whose GPS is known.
    const synced =
      await db()`UPDATE farms SET location_synced_at = now() WHERE gps_lat IS NOT NULL RETURNING id`
    return { synced: synced.length }
  },
})

export const calculateFarmScores = defineTask({
  name: 'farms.tasks.calculate_farm_scores',
  input: z.object({}),
  run: async () => {
    // Laying rate (eggs per bird per day) and survival, each half of a 0-100 score.
    const scored = await db()`UPDATE farms SET score = round(
        least(50, 50 * eggs_last_30d / greatest(birds * 30 * 0.8, 1)) +
        50 * (1 - least(1, mortality_last_30d::numeric / greatest(birds, 1) * 10)), 2)
      RETURNING id, score`
    return {
      scores: Object.fromEntries(scored.map((r: { id: number; score: string }) => [r.id, Number(r.score)])),
    }
  },
})

export const generateFarmActivityReport = defineTask({
  name: 'farms.tasks.generate_farm_activity_report',
  input: z.object({
    farm_id: Id,
    days: z.number().int().min(1).max(365).default(30),
    email: z.email().optional(),
  }),
  celeryArgs: ['farm_id', 'days', 'email'],
  run: async ({ farm_id, days, email }, ctx) => {
    const [farm] =
      await db()`SELECT name, birds, eggs_last_30d, mortality_last_30d, score FROM farms WHERE id = ${farm_id}`
    if (!farm) throw new UnrecoverableError(`farm ${farm_id} does not exist`)
    const text = `${farm.name}, last ${days} days: ${farm.birds} birds, ${farm.eggs_last_30d} eggs, ${farm.mortality_last_30d} losses.`
    if (email)
      await ctx.enqueue('email.send', { to: email, subject: `Farm activity report: ${farm.name}`, text })
    return { farm: farm.name, report: text, emailed: email ?? null }
  },
})

// ---- sales_revenue/tasks.py

export const checkExpiredActivations = defineTask({
  name: 'sales_revenue.tasks.check_expired_activations',
  input: z.object({}),
  run: async (_, ctx) => {
    const expired =
      await db()`UPDATE activations SET active = false WHERE active AND expires_at < now() RETURNING seller_id`
    for (const row of expired)
      await notify(
        ctx,
        await account(row.seller_id),
        'activation_expired',
        'Your marketplace activation has expired.',
      )
    return { deactivated: expired.length }
  },
})

export const sendExpirationWarnings = defineTask({
  name: 'sales_revenue.tasks.send_expiration_warnings',
  input: z.object({ within_days: z.number().int().positive().default(3) }),
  run: async ({ within_days }, ctx) => {
    const soon = await db()`UPDATE activations SET warned_at = now() WHERE active AND warned_at IS NULL
      AND expires_at BETWEEN now() AND now() + make_interval(days => ${within_days}) RETURNING seller_id`
    for (const row of soon)
      await notify(
        ctx,
        await account(row.seller_id),
        'activation_warning',
        'Your marketplace activation expires soon.',
      )
    return { warned: soon.length }
  },
})

export const calculateDailyPlatformRevenue = defineTask({
  name: 'sales_revenue.tasks.calculate_daily_platform_revenue',
  input: z.object({}),
  run: async () => {
    const [row] =
      await db()`SELECT coalesce(sum(amount), 0)::float AS revenue, count(*)::int AS orders FROM orders
      WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'Africa/Accra') - interval '1 day'
        AND created_at < date_trunc('day', now() AT TIME ZONE 'Africa/Accra')`
    await putMetric('platform_revenue:yesterday', row)
    return row
  },
})

/** The platform's cut of each order. */
const COMMISSION_RATE = 0.05

export const syncOrderCommissions = defineTask({
  name: 'sales_revenue.tasks.sync_order_commissions',
  input: z.object({}),
  run: async () => {
    const synced = await db()`UPDATE orders SET commission = round(amount * ${COMMISSION_RATE}::numeric, 2)
      WHERE commission IS NULL RETURNING id`
    return { synced: synced.length }
  },
})

export const generateSellerPayoutReport = defineTask({
  name: 'sales_revenue.tasks.generate_seller_payout_report',
  input: z.object({ seller_id: Id }),
  celeryArgs: ['seller_id'],
  run: async ({ seller_id }) => {
    const [row] = await db()`SELECT count(*)::int AS orders, coalesce(sum(amount), 0)::float AS gross,
      coalesce(sum(commission), 0)::float AS commission FROM orders WHERE seller_id = ${seller_id}`
    return { seller_id, ...row, payout: Math.round((row.gross - row.commission) * 100) / 100 }
  },
})

// ---- accounts/tasks.py

function accountMessage(name: string, kind: string, text: (a: Account, extra: string) => string) {
  return defineTask({
    name: `accounts.tasks.${name}`,
    input: z.object({ account_id: Id, detail: z.string().max(500).default('') }),
    celeryArgs: ['account_id', 'detail'],
    retry: EXTERNAL_RETRY,
    run: async ({ account_id, detail }, ctx) => {
      const to = await account(account_id)
      return { sms_task_id: await notify(ctx, to, kind, text(to, detail)) }
    },
  })
}

export const sendWelcomeNotification = accountMessage(
  'send_welcome_notification',
  'welcome',
  (a) => `Welcome to YEA Poultry, ${a.name}!`,
)
export const sendPasswordResetNotification = accountMessage(
  'send_password_reset_notification',
  'password_reset',
  (_, code) => `Your password reset code is ${code}. It expires in 10 minutes.`,
)
export const sendMfaAlert = accountMessage(
  'send_mfa_alert',
  'mfa',
  (_, d) => `Security alert: ${d || 'two-factor settings changed'}.`,
)
export const sendLoginAlert = accountMessage(
  'send_login_alert',
  'login',
  (_, d) => `New sign-in to your account${d ? ` from ${d}` : ''}.`,
)
export const notifyRoleChange = accountMessage(
  'notify_role_change',
  'role',
  (_, role) => `Your role is now ${role}.`,
)

export const cleanupExpiredTokens = defineTask({
  name: 'accounts.tasks.cleanup_expired_tokens',
  input: z.object({}),
  run: async () => ({
    deleted: (await db()`DELETE FROM auth_tokens WHERE expires_at < now() RETURNING id`).length,
  }),
})

// ---- advertising/tasks.py

export const aggregateAdvertisingAnalytics = defineTask({
  name: 'advertising.tasks.aggregate_advertising_analytics',
  input: z.object({}),
  run: async () => {
    const rows =
      await db()`SELECT partner_id, count(*)::int AS offers, sum(clicks)::int AS clicks FROM offers GROUP BY partner_id`
    await putMetric('advertising', rows)
    return { partners: rows.length }
  },
})

export const processNewAdvertiserLead = defineTask({
  name: 'advertising.tasks.process_new_advertiser_lead',
  input: z.object({ lead_id: Id }),
  celeryArgs: ['lead_id'],
  retry: EXTERNAL_RETRY,
  run: async ({ lead_id }, ctx) => {
    const [lead] =
      await db()`UPDATE advertiser_leads SET status = 'contacted' WHERE id = ${lead_id} RETURNING company, email`
    if (!lead) throw new UnrecoverableError(`lead ${lead_id} does not exist`)
    await ctx.enqueue('email.send', {
      to: lead.email,
      subject: 'Advertising on YEA Poultry',
      text: `Hello ${lead.company}, thank you for your interest.`,
    })
    return { contacted: lead.email }
  },
})

export const checkExpiringOffers = defineTask({
  name: 'advertising.tasks.check_expiring_offers',
  input: z.object({}),
  run: async (_, ctx) => {
    const soon = await db()`UPDATE offers SET warned_at = now() WHERE active AND warned_at IS NULL
      AND expires_at BETWEEN now() AND now() + interval '3 days' RETURNING partner_id, title`
    for (const row of soon)
      await notify(
        ctx,
        await account(row.partner_id),
        'offer_expiring',
        `Your offer "${row.title}" expires soon.`,
      )
    return { warned: soon.length }
  },
})

export const deactivateExpiredOffers = defineTask({
  name: 'advertising.tasks.deactivate_expired_offers',
  input: z.object({}),
  run: async () => ({
    deactivated: (
      await db()`UPDATE offers SET active = false WHERE active AND expires_at < now() RETURNING id`
    ).length,
  }),
})

/** What a partner earns per click on its offers. */
const EARNING_PER_CLICK = 0.1

export const calculatePartnerEarnings = defineTask({
  name: 'advertising.tasks.calculate_partner_earnings',
  input: z.object({}),
  run: async () => {
    const rows =
      await db()`SELECT partner_id, sum(clicks)::int AS clicks FROM offers GROUP BY partner_id ORDER BY partner_id`
    const earnings = rows.map((r: { partner_id: number; clicks: number }) => ({
      ...r,
      earnings: r.clicks * EARNING_PER_CLICK,
    }))
    await putMetric('partner_earnings', earnings)
    return { earnings }
  },
})
