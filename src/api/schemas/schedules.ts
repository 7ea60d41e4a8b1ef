import { z } from 'zod'
import { ScheduleEntry, ScheduleName, ScheduleState } from '../../core/schedule-entry.ts'

/** A schedule as the API shows it: the entry, its run state and its next fire times. */
export const ScheduleViewBody = z.object({
  entry: ScheduleEntry,
  state: ScheduleState,
  source: z.enum(['config', 'store']),
  updatedAt: z.number().int(),
  /** The next five fire times, ISO 8601 (from croner for cron entries). */
  nextFireTimes: z.array(z.string()),
})

export const ScheduleList = z.object({ schedules: z.array(ScheduleViewBody) })

/** PATCH body: any entry field but the name; naming cron, every or at replaces the old timing. */
export const SchedulePatch = z.record(z.string(), z.unknown()).refine((p) => !('name' in p), {
  message: 'a schedule cannot be renamed: create a new one',
  path: ['name'],
})

export const ScheduleNameParam = z.object({ name: ScheduleName })
