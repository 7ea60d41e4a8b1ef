import type { ConfigKey } from './config-schema.ts'
import { DASHBOARD_FIELDS } from './dashboard-config.ts'
import { FILE_TASK_FIELDS } from './file-task-config.ts'

/** How a string from the environment or a flag becomes a typed value. */
export type RawKind =
  | 'string'
  | 'int'
  | 'bool'
  | 'list'
  | 'seconds'
  | 'nullable-int'
  | 'nullable-string'
  | 'json'

export interface FieldSource {
  key: ConfigKey
  /** The environment variable that sets it. */
  env: string
  /** The long flag that sets it, if any, and the unit that flag is given in. */
  flag?: string
  flagKind?: RawKind
  kind: RawKind
  /** What a valid value looks like, for error messages. */
  expected: string
  /** Never echoed in messages (it may hold a password or a token). */
  secret?: boolean
}

/** Where each config field can come from. Env values use the field's own unit (ms, MB). */
export const CONFIG_FIELDS: readonly FieldSource[] = [
  { key: 'brokerUrl', env: 'CELERIAC_BROKER_URL', flag: 'broker', kind: 'string', expected: 'a broker URL' },
  {
    key: 'queues',
    env: 'CELERIAC_QUEUES',
    flag: 'queues',
    kind: 'list',
    expected: 'a comma-separated list of queue names (letters, digits and _ . : -)',
  },
  {
    key: 'concurrency',
    env: 'CELERIAC_CONCURRENCY',
    flag: 'concurrency',
    kind: 'int',
    expected: 'a positive integer (at most 10000)',
  },
  { key: 'leaseMs', env: 'CELERIAC_LEASE_MS', kind: 'int', expected: 'milliseconds, at least 1000' },
  {
    key: 'graceMs',
    env: 'CELERIAC_GRACE_MS',
    flag: 'grace',
    flagKind: 'seconds',
    kind: 'int',
    expected: 'a duration of 0 to 24 h',
  },
  { key: 'heartbeatMs', env: 'CELERIAC_HEARTBEAT_MS', kind: 'int', expected: 'milliseconds, 100 to 3600000' },
  { key: 'resultTtlMs', env: 'CELERIAC_RESULT_TTL_MS', kind: 'int', expected: 'milliseconds, at least 1000' },
  {
    key: 'logLevel',
    env: 'CELERIAC_LOG_LEVEL',
    flag: 'log-level',
    kind: 'string',
    expected: 'one of debug, info, warn, error',
  },
  { key: 'logJson', env: 'CELERIAC_LOG_JSON', flag: 'log-json', kind: 'bool', expected: 'true or false' },
  {
    key: 'maxMemoryMb',
    env: 'CELERIAC_MAX_MEMORY_MB',
    flag: 'max-memory',
    kind: 'nullable-int',
    expected: 'a positive number of MB',
  },
  {
    key: 'workerName',
    env: 'CELERIAC_WORKER_NAME',
    flag: 'name',
    kind: 'nullable-string',
    expected: 'a name of 1 to 200 characters',
  },
  {
    key: 'port',
    env: 'CELERIAC_PORT',
    flag: 'port',
    kind: 'int',
    expected: 'a TCP port (1-65535, or 0 for any free port)',
  },
  {
    key: 'healthPort',
    env: 'CELERIAC_HEALTH_PORT',
    flag: 'health-port',
    kind: 'nullable-int',
    expected: 'a TCP port (1-65535; empty or 0: off)',
  },
  { key: 'sqliteSync', env: 'CELERIAC_SQLITE_SYNC', kind: 'string', expected: 'full or normal' },
  {
    key: 'allowEviction',
    env: 'CELERIAC_ALLOW_EVICTION',
    flag: 'allow-eviction',
    kind: 'bool',
    expected: 'true or false',
  },
  {
    key: 'apiTokens',
    env: 'CELERIAC_API_TOKENS',
    kind: 'list',
    secret: true,
    expected:
      'a comma-separated list of token:scope+scope (tokens of 16+ characters; scopes read, submit, admin)',
  },
  {
    key: 'insecure',
    env: 'CELERIAC_API_INSECURE',
    flag: 'insecure',
    kind: 'bool',
    expected: 'true or false',
  },
  {
    key: 'apiBodyLimit',
    env: 'CELERIAC_API_BODY_LIMIT',
    kind: 'int',
    expected: 'a number of bytes from 1024 to 67108864',
  },
  {
    key: 'apiCorsOrigins',
    env: 'CELERIAC_API_CORS_ORIGINS',
    kind: 'list',
    expected: 'a comma-separated list of origins like https://app.example.com, or *',
  },
  { key: 'metricsAuth', env: 'CELERIAC_METRICS_AUTH', kind: 'bool', expected: 'true or false' },
  {
    key: 'apiEtaHorizonMs',
    env: 'CELERIAC_API_ETA_HORIZON_MS',
    kind: 'int',
    expected: 'milliseconds, 1000 to one year',
  },
  {
    key: 'apiRateLimit',
    env: 'CELERIAC_API_RATE_LIMIT',
    kind: 'nullable-string',
    expected: "a rate like '100/s', '6000/m' or '5/10s' (empty: no limit)",
  },
  {
    key: 'timezone',
    env: 'CELERIAC_TIMEZONE',
    flag: 'timezone',
    kind: 'string',
    expected: 'an IANA time zone like Europe/Amsterdam',
  },
  {
    key: 'schedules',
    env: 'CELERIAC_SCHEDULES',
    kind: 'json',
    expected: 'a JSON array of schedule entries ({name, task, input, cron|every|at, ...})',
  },
  { key: 'beatDefaults', env: 'CELERIAC_BEAT_DEFAULTS', kind: 'bool', expected: 'true or false' },
  {
    key: 'beatLockTtlMs',
    env: 'CELERIAC_BEAT_LOCK_TTL_MS',
    kind: 'int',
    expected: 'milliseconds, 1000 to 3600000',
  },
  { key: 'beatTickMs', env: 'CELERIAC_BEAT_TICK_MS', kind: 'int', expected: 'milliseconds, 50 to 60000' },
  {
    key: 'smtpUrl',
    env: 'CELERIAC_SMTP_URL',
    kind: 'nullable-string',
    secret: true,
    expected: 'an SMTP URL like smtp://user:pass@mail.example.com:587 or smtps://...',
  },
  {
    key: 'emailFrom',
    env: 'CELERIAC_EMAIL_FROM',
    kind: 'string',
    expected: "a From address like 'Example <no-reply@example.com>' (one line)",
  },
  { key: 'outboxDir', env: 'CELERIAC_OUTBOX_DIR', kind: 'string', expected: 'a folder path' },
  {
    key: 'emailTemplatesDir',
    env: 'CELERIAC_EMAIL_TEMPLATES_DIR',
    kind: 'nullable-string',
    expected: 'a folder path (empty: embedded templates only)',
  },
  {
    key: 'emailBulkMax',
    env: 'CELERIAC_EMAIL_BULK_MAX',
    kind: 'int',
    expected: 'a number of recipients, 1 to 10000',
  },
  {
    key: 'outboundAllowList',
    env: 'CELERIAC_OUTBOUND_ALLOW',
    kind: 'list',
    expected: 'a comma-separated list of host names (*.example allowed) and IPs or CIDRs',
  },
  {
    key: 'webhookSecret',
    env: 'CELERIAC_WEBHOOK_SECRET',
    kind: 'nullable-string',
    secret: true,
    expected: 'a secret of 16 to 512 characters',
  },
  ...FILE_TASK_FIELDS,
  ...DASHBOARD_FIELDS,
]
