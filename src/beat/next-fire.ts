import { Cron } from 'croner'
import { parseDuration } from '../core/duration.ts'
import type { ScheduleEntry } from '../core/schedule-entry.ts'

type When = Pick<ScheduleEntry, 'cron' | 'every' | 'at' | 'timezone'>

/**
 * The first fire time strictly after `after` (epoch ms), or null when there is none (a past
 * one-off). Intervals are aligned to the epoch, so every beat and every restart agrees on the slots.
 */
export function nextFireAfter(entry: When, after: number): number | null {
  if (entry.cron !== undefined) {
    const next = new Cron(entry.cron, { timezone: entry.timezone, paused: true }).nextRun(new Date(after))
    return next ? next.getTime() : null
  }
  if (entry.every !== undefined) {
    const interval = parseDuration(entry.every)
    return (Math.floor(after / interval) + 1) * interval
  }
  const at = new Date(entry.at as string).getTime()
  return at > after ? at : null
}

/** The next `count` fire times after `after`: what pages and the API show. */
export function nextFireTimes(entry: When, after: number, count: number): number[] {
  const times: number[] = []
  let from = after
  while (times.length < count) {
    const next = nextFireAfter(entry, from)
    if (next === null) break
    times.push(next)
    from = next
  }
  return times
}
