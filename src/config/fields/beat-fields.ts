import { z } from 'zod'
import { isTimezone, ScheduleEntry } from '../../core/schedule-entry.ts'
import { field } from '../define-field.ts'

const HOUR_MS = 3_600_000

/** Beat: its schedule entries and timing. */
export const BEAT_FIELDS = {
  timezone: field({
    schema: z.string().refine(isTimezone, 'an IANA time zone'),
    default: 'UTC',
    env: 'CELERIAC_TIMEZONE',
    kind: 'string',
    flag: { name: 'timezone', value: 'TZ' },
    help: 'time zone of schedule entries that name none',
    expected: 'an IANA time zone like Europe/Amsterdam',
  }),
  schedules: field({
    schema: z.array(z.record(z.string(), z.unknown())).superRefine((entries, ctx) => {
      // Checked here so start-up reports every problem at once; kept raw so entries without a time
      // zone take `timezone` rather than the schema's UTC.
      entries.forEach((entry, i) => {
        for (const issue of ScheduleEntry.safeParse(entry).error?.issues ?? []) {
          ctx.addIssue({ code: 'custom', path: [i, ...issue.path], message: issue.message })
        }
      })
    }),
    default: [],
    env: 'CELERIAC_SCHEDULES',
    kind: 'json',
    help: 'schedule entries beat syncs at start (a JSON array)',
    defaultText: 'none',
    expected: 'a JSON array of schedule entries ({name, task, input, cron|every|at, ...})',
  }),
  beatDefaults: field({
    schema: z.boolean(),
    default: true,
    env: 'CELERIAC_BEAT_DEFAULTS',
    kind: 'bool',
    help: 'add the default maintenance entries (cleanups daily, health check every 30 min)',
    expected: 'true or false',
  }),
  beatLockTtlMs: field({
    schema: z.number().int().min(1_000).max(HOUR_MS),
    default: 10_000,
    env: 'CELERIAC_BEAT_LOCK_TTL_MS',
    kind: 'int',
    help: "beat's leader lease, in ms: a standby takes over within this after the leader dies",
    expected: 'milliseconds, 1000 to 3600000',
  }),
  beatTickMs: field({
    schema: z.number().int().min(50).max(60_000),
    default: 1_000,
    env: 'CELERIAC_BEAT_TICK_MS',
    kind: 'int',
    help: 'how often beat looks at its entries, in ms',
    expected: 'milliseconds, 50 to 60000',
  }),
}
