import { type Percentiles, percentiles } from './percentile.ts'
import type { ReportInput } from './report-input.ts'
import type { TaskStats } from './task-stats.ts'

const HOUR_MS = 3_600_000
const TOP_ERRORS = 20

export interface Report {
  report_type: ReportInput['report_type']
  date_from: string
  date_to: string
  generated_at: string
  totals: { tasks: number; success: number; failure: number; success_rate: number | null }
  by_state?: { state: string; count: number }[]
  by_queue?: { queue: string; count: number }[]
  by_task?: ({
    task: string
    count: number
    success: number
    failure: number
    success_rate: number | null
  } & Percentiles)[]
  duration_ms?: Percentiles
  top_errors?: { type: string; message: string; count: number; tasks: string[] }[]
  /** Tasks finished (failures only, in a failures report) per hour, every hour of the range. */
  per_hour: { hour: string; count: number }[]
}

const rate = (success: number, failure: number) =>
  success + failure === 0 ? null : Math.round((success / (success + failure)) * 10_000) / 100

const counted = <K extends string>(map: Map<string, number>, key: K) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => ({ [key]: name, count }) as Record<K, string> & { count: number })

function perHour(counts: Map<number, number>, from: number, to: number): Report['per_hour'] {
  const out: Report['per_hour'] = []
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour <= to; hour += HOUR_MS)
    out.push({ hour: new Date(hour).toISOString(), count: counts.get(hour) ?? 0 })
  return out
}

function byTask(stats: TaskStats): NonNullable<Report['by_task']> {
  return [...stats.byTask]
    .sort((a, b) => b[1].total - a[1].total)
    .map(([task, g]) => ({
      task,
      count: g.total,
      success: g.success,
      failure: g.failure,
      success_rate: rate(g.success, g.failure),
      ...percentiles(g.durations),
    }))
}

function topErrors(stats: TaskStats): NonNullable<Report['top_errors']> {
  return [...stats.errors.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_ERRORS)
    .map((e) => ({ type: e.type, message: e.message, count: e.count, tasks: [...e.tasks].sort() }))
}

/** Shapes collected stats into the sections a report type shows. */
export function buildReport(input: ReportInput, stats: TaskStats, now: number): Report {
  const from = Date.parse(input.date_from)
  const to = Date.parse(input.date_to)
  const success = stats.byState.get('SUCCESS') ?? 0
  const failure = stats.byState.get('FAILURE') ?? 0
  const base = {
    report_type: input.report_type,
    date_from: new Date(from).toISOString(),
    date_to: new Date(to).toISOString(),
    generated_at: new Date(now).toISOString(),
    totals: { tasks: stats.total, success, failure, success_rate: rate(success, failure) },
  }
  if (input.report_type === 'tasks')
    return {
      ...base,
      by_task: byTask(stats),
      duration_ms: percentiles(stats.durations),
      per_hour: perHour(stats.finishedPerHour, from, to),
    }
  if (input.report_type === 'failures')
    return {
      ...base,
      top_errors: topErrors(stats),
      by_task: byTask(stats).filter((t) => t.failure > 0),
      per_hour: perHour(stats.failedPerHour, from, to),
    }
  return {
    ...base,
    by_state: counted(stats.byState, 'state'),
    by_queue: counted(stats.byQueue, 'queue'),
    duration_ms: percentiles(stats.durations),
    per_hour: perHour(stats.finishedPerHour, from, to),
  }
}
