import type { BrokerAdmin } from '../../brokers/broker.ts'
import { defineTask } from '../../core/task.ts'
import { createDownloadFile } from '../../files/create-download-file.ts'
import type { FileTaskServices } from '../file-task-services.ts'
import { buildReport, type Report } from './build-report.ts'
import { renderReport } from './render-report.ts'
import { ReportInput } from './report-input.ts'
import { TaskStats } from './task-stats.ts'

const PAGE = 1_000

/** Reads the task history created in [from, to] page by page (failures only for that report). */
async function collect(admin: BrokerAdmin, input: ReportInput, signal: AbortSignal): Promise<TaskStats> {
  const stats = new TaskStats()
  const state = input.report_type === 'failures' ? ('FAILURE' as const) : undefined
  const query = { since: Date.parse(input.date_from), until: Date.parse(input.date_to), limit: PAGE, state }
  let cursor: string | undefined
  do {
    signal.throwIfAborted()
    const page = await admin.listTasks(cursor ? { ...query, cursor } : query)
    for (const task of page.tasks) stats.add(task)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return stats
}

export interface ReportResult {
  download_id: string
  format: ReportInput['format']
  bytes: number
  totals: Report['totals']
}

/** report.generate: activity, per-task or failure statistics of the task history, as JSON, CSV or HTML. */
export function createReportTask(services: FileTaskServices) {
  return defineTask({
    name: 'report.generate',
    description:
      'Builds an activity, tasks or failures report (counts, success rate, p50/p95/p99, top errors, per hour) as a download.',
    queue: 'reports',
    input: ReportInput,
    retry: { max: 2, backoff: 'exponential', delay: 10_000, maxDelay: 120_000, jitter: true },
    timeLimit: { soft: 10 * 60_000, hard: 12 * 60_000 },
    run: async (input, ctx): Promise<ReportResult> => {
      const stats = await collect(await services.admin(), input, ctx.signal)
      const report = buildReport(input, stats, services.clock.now())
      const file = await createDownloadFile(services.settings.exportsDir, input.format)
      try {
        await file.write(await renderReport(report, input.format))
        const bytes = await file.commit()
        return { download_id: file.id, format: input.format, bytes, totals: report.totals }
      } catch (err) {
        await file.abort()
        throw err
      }
    },
  })
}
