import { z } from 'zod'
import { QueueName } from '../core/message.ts'
import { isTimezone, ScheduleEntry } from '../core/schedule-entry.ts'
import { ALLOW_ENTRY } from '../security/outbound-allow-list.ts'
import { ApiTokenSpec, RATE_TEXT } from './api-token-spec.ts'
import { DASHBOARD_CONFIG, DASHBOARD_DEFAULTS } from './dashboard-config.ts'
import { FILE_TASK_CONFIG, FILE_TASK_DEFAULTS } from './file-task-config.ts'

const HOUR_MS = 3_600_000

/** Everything a Celeriac process is configured with, once every source is merged and checked. */
export const Config = z.object({
  /** Where tasks live: sqlite://path (default), redis://, rediss://, upstash://. May hold a password. */
  brokerUrl: z.string().min(1),
  /** Queues a worker consumes, in priority order. */
  queues: z.array(QueueName).min(1),
  /** Tasks one worker runs at once. */
  concurrency: z.number().int().min(1).max(10_000),
  /** How long a reservation holds before another worker may take the task over. */
  leaseMs: z
    .number()
    .int()
    .min(1_000)
    .max(24 * HOUR_MS),
  /** Time in-flight tasks get to finish on shutdown before they are handed back. */
  graceMs: z
    .number()
    .int()
    .min(0)
    .max(24 * HOUR_MS),
  /** Heartbeat and control-poll period: `control` waits 2 s by default, so keep this well under it. */
  heartbeatMs: z.number().int().min(100).max(HOUR_MS),
  /** How long a finished task's result is kept. */
  resultTtlMs: z.number().int().min(1_000),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  logJson: z.boolean(),
  /** Above this resident size the worker drains and exits for its supervisor to restart it; null: no limit. */
  maxMemoryMb: z.number().int().min(1).nullable(),
  /** null: the worker picks `<pid>@<host>`-style names itself. */
  workerName: z.string().min(1).max(200).nullable(),
  /** HTTP port of the api role; 0 picks a free one (logged at start). */
  port: z.number().int().min(0).max(65_535),
  /** Port of the worker's and beat's /healthz and /readyz for platform checks; null: off. */
  healthPort: z.number().int().min(1).max(65_535).nullable(),
  /** SQLite durability: full survives power loss, normal only process crashes (and is faster). */
  sqliteSync: z.enum(['full', 'normal']),
  /** Redis: start even if maxmemory-policy may evict keys (tasks could vanish); a loud warning instead of a refusal. */
  allowEviction: z.boolean(),
  /** API bearer tokens as `token:scope+scope` (scopes read, submit, admin). Secret: never printed. */
  apiTokens: z.array(ApiTokenSpec),
  /** Serve the API without tokens (development only): must be asked for explicitly. */
  insecure: z.boolean(),
  /** Largest request body the API reads, in bytes; larger ones get 413 before parsing. */
  apiBodyLimit: z
    .number()
    .int()
    .min(1_024)
    .max(64 * 1024 * 1024),
  /** Origins allowed by CORS; empty: CORS off (no Access-Control-* headers). */
  apiCorsOrigins: z.array(z.string().regex(/^(\*|https?:\/\/[^\s,/]+)$/)),
  /** Whether /metrics needs a token (read scope); off for a private port or a trusted scraper. */
  metricsAuth: z.boolean(),
  /** Furthest ahead an API caller may schedule a task (eta or countdown), in ms. */
  apiEtaHorizonMs: z
    .number()
    .int()
    .min(1_000)
    .max(365 * 24 * HOUR_MS),
  /** Requests per token, e.g. '100/s', shared by every api process on the broker; null: no limit. */
  apiRateLimit: z.string().regex(RATE_TEXT).nullable(),
  /** Time zone of schedule entries that name none. */
  timezone: z.string().refine(isTimezone, 'an IANA time zone'),
  /** Schedule entries loaded by beat at start (checked fully, task names included, by beat). */
  schedules: z.array(z.record(z.string(), z.unknown())).superRefine((entries, ctx) => {
    // Checked here so start-up reports every problem at once; kept raw so entries without a time
    // zone take `timezone` above rather than the schema's UTC.
    entries.forEach((entry, i) => {
      for (const issue of ScheduleEntry.safeParse(entry).error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: [i, ...issue.path], message: issue.message })
      }
    })
  }),
  /** Add the default maintenance entries (results and files cleanup daily, health check every 30 min). */
  beatDefaults: z.boolean(),
  /** Beat's leader lease: a standby takes over within this after the leader dies. */
  beatLockTtlMs: z.number().int().min(1_000).max(HOUR_MS),
  /** How often beat looks at its entries. */
  beatTickMs: z.number().int().min(50).max(60_000),
  /** SMTP server as smtp://user:pass@host:587 or smtps://; null: emails go to `outboxDir` as .eml files. Secret. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/)
    .nullable(),
  /** The From header of every email, e.g. `Example <no-reply@example.com>`. */
  emailFrom: z
    .string()
    .min(3)
    .max(320)
    .refine((text) => !/[\r\n]/.test(text)),
  /** Where emails are written when no SMTP server is configured. */
  outboxDir: z.string().min(1),
  /** A folder whose `<name>.html`/`.txt`/`.subject` override the embedded email templates; null: none. */
  emailTemplatesDir: z.string().min(1).nullable(),
  /** Most recipients one email.bulk task takes (the API answers 400 above it). */
  emailBulkMax: z.number().int().min(1).max(10_000),
  /** Hosts (`hooks.internal`, `*.corp.example`) and IPs/CIDRs (`10.1.0.0/16`) outbound requests may reach although private. */
  outboundAllowList: z.array(z.string().regex(ALLOW_ENTRY)),
  /** Shared secret for the HMAC signature of webhook requests (16+ characters); null: unsigned. Secret. */
  webhookSecret: z.string().min(16).max(512).nullable(),
  ...FILE_TASK_CONFIG,
  ...DASHBOARD_CONFIG,
})
export type Config = Readonly<z.infer<typeof Config>>
export type ConfigKey = keyof Config

export const DEFAULT_CONFIG: Config = {
  brokerUrl: 'sqlite://./data/celeriac.db',
  queues: ['default'],
  concurrency: 10,
  leaseMs: 30_000,
  graceMs: 30_000,
  heartbeatMs: 1_000,
  resultTtlMs: 24 * HOUR_MS,
  logLevel: 'info',
  logJson: false,
  maxMemoryMb: null,
  workerName: null,
  port: 8080,
  healthPort: null,
  sqliteSync: 'full',
  allowEviction: false,
  apiTokens: [],
  insecure: false,
  apiBodyLimit: 1024 * 1024,
  apiCorsOrigins: [],
  metricsAuth: true,
  apiEtaHorizonMs: 365 * 24 * HOUR_MS,
  apiRateLimit: null,
  timezone: 'UTC',
  schedules: [],
  beatDefaults: true,
  beatLockTtlMs: 10_000,
  beatTickMs: 1_000,
  smtpUrl: null,
  emailFrom: 'Celeriac <celeriac@localhost>',
  outboxDir: './data/outbox',
  emailTemplatesDir: null,
  emailBulkMax: 100,
  outboundAllowList: [],
  webhookSecret: null,
  ...FILE_TASK_DEFAULTS,
  ...DASHBOARD_DEFAULTS,
}
