import { Cron } from 'croner'
import { z } from 'zod'
import { DURATION, parseDuration } from './duration.ts'
import { Priority, QueueName } from './message.ts'

const Duration = z.union([
  z.number().int().min(1_000, 'at least 1000 ms'),
  z
    .string()
    .regex(DURATION, "a duration like '30s', '5m', '1h' or '1d'")
    .refine((t) => parseDuration(t) >= 1_000, 'at least 1s'),
])

export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** croner's own parse error, so a bad pattern is reported the way croner's docs describe it. */
function cronError(pattern: string): string | null {
  try {
    new Cron(pattern, { paused: true })
    return null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

export const ScheduleName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')

/** One periodic entry: a task, its input, and when (cron | every | at). */
export const ScheduleEntry = z
  .object({
    name: ScheduleName,
    task: z.string().min(1),
    input: z.unknown().default({}),
    cron: z.string().min(1).optional(),
    every: Duration.optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    timezone: z.string().refine(isTimezone, 'an IANA time zone like Europe/Amsterdam').default('UTC'),
    queue: QueueName.optional(),
    priority: Priority.optional(),
    enabled: z.boolean().default(true),
    catchUp: z.enum(['skip', 'once']).default('skip'),
    /** Ms after its fire time when a fired task still queued is revoked instead of run. */
    expires: z.number().int().positive().optional(),
    /** Skip a fire while the previous run of this entry is still running. */
    noOverlap: z.boolean().default(false),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const kinds = [entry.cron, entry.every, entry.at].filter((v) => v !== undefined).length
    if (kinds !== 1)
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give exactly one of cron, every, at' })
    if (entry.cron !== undefined) {
      const error = cronError(entry.cron)
      if (error)
        ctx.addIssue({ code: 'custom', path: ['cron'], message: `invalid cron '${entry.cron}': ${error}` })
    }
  })
export type ScheduleEntry = z.infer<typeof ScheduleEntry>
export type ScheduleEntryInput = z.input<typeof ScheduleEntry>

/** What beat remembers of an entry between fires and across restarts. */
export const ScheduleState = z.object({
  lastRunAt: z.number().int().nullable(),
  nextRunAt: z.number().int().nullable(),
  totalRuns: z.number().int(),
  lastTaskId: z.string().nullable(),
  /** Final state of the last fired task when known, or 'skipped: <why>'. */
  lastOutcome: z.string().nullable(),
})
export type ScheduleState = z.infer<typeof ScheduleState>

export const EMPTY_STATE: ScheduleState = {
  lastRunAt: null,
  nextRunAt: null,
  totalRuns: 0,
  lastTaskId: null,
  lastOutcome: null,
}
