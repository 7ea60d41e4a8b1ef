import { describe, expect, test } from 'bun:test'
import { nextFireAfter, nextFireTimes } from '../../src/beat/next-fire.ts'
import { ScheduleEntry } from '../../src/core/schedule-entry.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const at = (text: string) => new Date(text).getTime()
const entry = (fields: Record<string, unknown>) =>
  ScheduleEntry.parse({ name: 'e', task: 'debug.noop', ...fields })

describe('next fire times', () => {
  test('follows cron with seconds, in the entry time zone', () => {
    const e = entry({ cron: '*/15 * * * * *', timezone: 'Europe/Amsterdam' })
    expect(nextFireTimes(e, at('2026-06-01T10:00:07Z'), 3).map(iso)).toEqual([
      '2026-06-01T10:00:15.000Z',
      '2026-06-01T10:00:30.000Z',
      '2026-06-01T10:00:45.000Z',
    ])
  })

  test('runs a 02:30 job at 03:00 on spring-forward day, as croner documents, and once on fall-back day', () => {
    const e = entry({ cron: '0 30 2 * * *', timezone: 'Europe/Amsterdam' })
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
    expect(iso(nextFireAfter(e, at('2026-03-29T00:00:00Z')))).toBe('2026-03-29T01:00:00.000Z')
    // 25 October 2026: 02:30 happens twice (CEST, then CET); the job runs once.
    const fallBack = nextFireTimes(e, at('2026-10-25T00:00:00Z'), 2).map(iso)
    expect(fallBack).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'])
  })

  test('aligns intervals to the epoch so every beat and restart agrees on the slots', () => {
    const e = entry({ every: '5m' })
    expect(iso(nextFireAfter(e, at('2026-06-01T10:03:00Z')))).toBe('2026-06-01T10:05:00.000Z')
    expect(iso(nextFireAfter(e, at('2026-06-01T10:05:00Z')))).toBe('2026-06-01T10:10:00.000Z')
  })

  test('fires a one-off once, and never after it has passed', () => {
    const e = entry({ at: '2026-06-01T12:00:00Z' })
    expect(nextFireTimes(e, at('2026-06-01T00:00:00Z'), 5).map(iso)).toEqual(['2026-06-01T12:00:00.000Z'])
    expect(nextFireAfter(e, at('2026-06-01T12:00:00Z'))).toBeNull()
  })

  test("rejects a bad cron with croner's own message, naming the field", () => {
    const parsed = ScheduleEntry.safeParse({ name: 'e', task: 't', cron: '61 * * * *' })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['cron'] })
    expect(parsed.error?.issues[0]?.message).toContain('Invalid value for minute: 61')
  })

  test('asks for exactly one of cron, every and at, and a real time zone', () => {
    expect(ScheduleEntry.safeParse({ name: 'e', task: 't' }).success).toBe(false)
    expect(ScheduleEntry.safeParse({ name: 'e', task: 't', cron: '* * * * *', every: '1m' }).success).toBe(
      false,
    )
    const zone = ScheduleEntry.safeParse({ name: 'e', task: 't', every: '1m', timezone: 'Mars/Base' })
    expect(zone.error?.issues[0]?.path).toEqual(['timezone'])
  })
})
