import type { ScheduleStore } from '../brokers/broker.ts'
import { ValidationError } from '../core/errors.ts'
import type { Logger } from '../core/logger.ts'
import type { ScheduleEntry } from '../core/schedule-entry.ts'
import type { ScheduleService } from './schedule-service.ts'

const TIMING = ['cron', 'every', 'at', 'timezone'] as const

/**
 * Makes the stored 'config' entries match the schedule file (plus defaults): new ones are added
 * with a first fire time, changed ones keep their run state (a new timing gets a new next fire
 * time), removed ones are deleted. Entries created through the API are never touched; a config
 * entry with the same name as one of them is skipped with a warning. Every invalid entry is
 * reported at once, before anything is written.
 */
export async function syncConfigSchedules(
  store: ScheduleStore,
  service: ScheduleService,
  inputs: readonly unknown[],
  log: Logger,
): Promise<void> {
  const entries = validateAll(service, inputs)
  const stored = new Map((await store.listSchedules()).map((s) => [s.entry.name, s]))
  for (const entry of entries) {
    const existing = stored.get(entry.name)
    if (existing?.source === 'store') {
      log.warn('beat: a schedule from the API has the name of a config entry; keeping the API one', {
        schedule: entry.name,
      })
      continue
    }
    if (existing && JSON.stringify(existing.entry) === JSON.stringify(entry)) continue
    const fresh = service.freshState(entry)
    const retimed = existing && TIMING.some((f) => existing.entry[f] !== entry[f])
    const state = !existing
      ? fresh
      : retimed
        ? { ...existing.state, nextRunAt: fresh.nextRunAt }
        : existing.state
    await store.putSchedule({ entry, state, source: 'config' })
  }
  const wanted = new Set(entries.map((e) => e.name))
  for (const s of stored.values()) {
    if (s.source === 'config' && !wanted.has(s.entry.name)) await store.deleteSchedule(s.entry.name)
  }
}

function validateAll(service: ScheduleService, inputs: readonly unknown[]): ScheduleEntry[] {
  const issues: ValidationError['issues'] = []
  const entries: ScheduleEntry[] = []
  inputs.forEach((input, i) => {
    try {
      entries.push(service.validate(input))
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      for (const issue of err.issues)
        issues.push({ path: `schedules.${i}.${issue.path}`, message: issue.message })
    }
  })
  if (issues.length > 0) throw new ValidationError('beat schedules', issues)
  return entries
}
