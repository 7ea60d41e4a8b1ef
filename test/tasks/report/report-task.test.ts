import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import Papa from 'papaparse'
import { resolveDownload } from '../../../src/files/resolve-download.ts'
import type { Report } from '../../../src/tasks/report/build-report.ts'
import { createReportTask, type ReportResult } from '../../../src/tasks/report/report-task.ts'
import { runTask, testServices } from '../file-task-fixtures.ts'
import { brokerWithHistory, HOSTILE_MESSAGE } from '../history-fixture.ts'

const HOUR = 3_600_000
const range = () => ({
  date_from: new Date(Date.now() - HOUR).toISOString(),
  date_to: new Date(Date.now() + HOUR).toISOString(),
})

async function generate(services: ReturnType<typeof testServices>, input: object) {
  const result = (await runTask(createReportTask(services), { ...range(), ...input })) as ReportResult
  const download = await resolveDownload(services.settings.exportsDir, result.download_id)
  return { result, text: readFileSync(download?.path as string, 'utf8'), download }
}

describe('report.generate', () => {
  test('activity: counts by state and queue, success rate, percentiles and throughput per hour', async () => {
    const services = testServices({}, await brokerWithHistory(12, 4))
    const { result, text } = await generate(services, { report_type: 'activity', format: 'json' })
    const report = JSON.parse(text) as Report
    expect(result.totals).toEqual({ tasks: 16, success: 12, failure: 4, success_rate: 75 })
    expect(report.by_state).toEqual([
      { state: 'SUCCESS', count: 12 },
      { state: 'FAILURE', count: 4 },
    ])
    expect(report.by_queue).toEqual([
      { queue: 'default', count: 12 },
      { queue: 'risky', count: 4 },
    ])
    expect(report.duration_ms?.p50).toBeGreaterThanOrEqual(0)
    expect(report.duration_ms?.p99).toBeGreaterThanOrEqual(report.duration_ms?.p50 as number)
    expect(report.per_hour.length).toBeGreaterThanOrEqual(2)
    expect(report.per_hour.reduce((sum, h) => sum + h.count, 0)).toBe(16)
  })

  test('tasks and failures reports; CSV in long form (section, row, column, value)', async () => {
    const services = testServices({}, await brokerWithHistory(3, 2))
    const tasks = JSON.parse(
      (await generate(services, { report_type: 'tasks', format: 'json' })).text,
    ) as Report
    expect(tasks.by_task?.map((t) => [t.task, t.count, t.success_rate])).toEqual([
      ['debug.noop', 3, 100],
      ['test.boom', 2, 0],
    ])
    const { text, download } = await generate(services, { report_type: 'failures', format: 'csv' })
    expect(download?.contentType).toBe('text/csv; charset=utf-8')
    const rows = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data
    expect(rows[0]).toEqual(['section', 'row', 'column', 'value'])
    expect(rows).toContainEqual(['top_errors', '1', 'message', HOSTILE_MESSAGE])
    expect(rows).toContainEqual(['top_errors', '1', 'count', '2'])
    expect(rows).toContainEqual(['totals', '1', 'tasks', '2'])
  })

  test('HTML is one self-contained page with an inline SVG chart and every value escaped', async () => {
    const services = testServices({}, await brokerWithHistory(2, 1))
    const { text, download } = await generate(services, { report_type: 'failures', format: 'html' })
    expect(download?.contentType).toBe('text/html; charset=utf-8')
    expect(text).toStartWith('<!doctype html>')
    expect(text).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    expect(text).not.toContain('<script')
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; =cmd')
    expect(text).not.toMatch(/(src|href)=/)
  })

  test('refuses a range that ends before it starts', () => {
    const task = createReportTask(testServices())
    const parsed = task.input.safeParse({
      report_type: 'activity',
      date_from: '2026-02-01',
      date_to: '2026-01-01',
    })
    expect(parsed.error?.issues[0]?.path).toEqual(['date_to'])
  })
})
