import type { ScheduleView } from '../../beat/schedule-service.ts'
import type { FieldIssue } from '../../core/errors.ts'
import type { ScheduleFormValues } from '../views/schedule-form-view.tsx'

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/** A posted form as the strings typed (to show again after an error). */
export function formValues(body: Record<string, unknown>, defaultTimezone: string): ScheduleFormValues {
  return {
    name: text(body.name),
    task: text(body.task),
    cron: text(body.cron),
    every: text(body.every),
    timezone: text(body.timezone) || defaultTimezone,
    queue: text(body.queue),
    input: text(body.input) || '{}',
    enabled: body.enabled === 'true',
  }
}

/** An existing entry as form values. */
export function valuesOf(s: ScheduleView): ScheduleFormValues {
  const e = s.entry
  return {
    name: e.name,
    task: e.task,
    cron: e.cron ?? '',
    every: e.every === undefined ? '' : String(e.every),
    timezone: e.timezone,
    queue: e.queue ?? '',
    input: JSON.stringify(e.input ?? {}, null, 2),
    enabled: e.enabled,
  }
}

export function emptyValues(defaultTimezone: string, task: string): ScheduleFormValues {
  return {
    name: '',
    task,
    cron: '',
    every: '',
    timezone: defaultTimezone,
    queue: '',
    input: '{}',
    enabled: true,
  }
}

/**
 * Form values as an entry for ScheduleService (which validates everything else). Only the input's
 * JSON syntax is checked here; `every` given as digits is milliseconds, as in the API.
 */
export function entryFrom(v: ScheduleFormValues): { entry: Record<string, unknown>; issues: FieldIssue[] } {
  let input: unknown = {}
  try {
    input = JSON.parse(v.input)
  } catch (err) {
    return { entry: {}, issues: [{ path: 'input', message: `not JSON: ${(err as Error).message}` }] }
  }
  const entry: Record<string, unknown> = {
    name: v.name,
    task: v.task,
    input,
    timezone: v.timezone,
    enabled: v.enabled,
    queue: v.queue || undefined,
  }
  if (v.cron) entry.cron = v.cron
  if (v.every) entry.every = /^\d+$/.test(v.every) ? Number(v.every) : v.every
  return { entry, issues: [] }
}
