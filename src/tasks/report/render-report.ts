import { escapeHtml } from '../../core/escape-html.ts'
import type { DownloadFormat } from '../../files/download-kinds.ts'
import { FORMULA_START, loadPapa } from '../export/write-csv.ts'
import type { Report } from './build-report.ts'
import { svgBarChart } from './svg-bar-chart.ts'

// biome-ignore lint/suspicious/noExplicitAny: rows are plain objects of any report section
type Row = Record<string, any>

/** The report's tables, in display order: title and rows (each row an object of columns). */
function tables(report: Report): [string, Row[]][] {
  const out: [string, Row[]][] = [['totals', [report.totals]]]
  if (report.duration_ms) out.push(['duration_ms', [report.duration_ms]])
  if (report.by_state) out.push(['by_state', report.by_state])
  if (report.by_queue) out.push(['by_queue', report.by_queue])
  if (report.by_task) out.push(['by_task', report.by_task])
  if (report.top_errors)
    out.push(['top_errors', report.top_errors.map((e) => ({ ...e, tasks: e.tasks.join(' ') }))])
  out.push(['per_hour', report.per_hour])
  return out
}

/** CSV in long form (section, row, column, value): one file, every table, easy to pivot. */
async function toCsv(report: Report): Promise<string> {
  const Papa = await loadPapa()
  const rows: unknown[][] = [['section', 'row', 'column', 'value']]
  for (const [section, list] of tables(report))
    list.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) rows.push([section, i + 1, column, value])
    })
  return `${Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: '\r\n' })}\r\n`
}

function htmlTable(title: string, rows: Row[]): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>none</p>`
  const columns = Object.keys(rows[0] as Row)
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(r[c] ?? '')}</td>`).join('')}</tr>`)
    .join('')
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
}

const STYLE =
  'body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:1em}' +
  'td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}'

/** A self-contained page: inline style and SVG, no script, every value escaped. */
function toHtml(report: Report): string {
  const title = `Celeriac ${report.report_type} report`
  const chartTitle = report.report_type === 'failures' ? 'failures per hour' : 'tasks finished per hour'
  const chart = svgBarChart(
    report.per_hour.map((p) => ({ label: p.hour, value: p.count })),
    chartTitle,
  )
  const sections = tables(report).filter(([name]) => name !== 'per_hour')
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(report.date_from)} to ${escapeHtml(report.date_to)}; generated ${escapeHtml(report.generated_at)}</p>`,
    `<h2>${escapeHtml(chartTitle)}</h2>${chart}`,
    ...sections.map(([name, rows]) => htmlTable(name, rows)),
    '</body></html>\n',
  ].join('\n')
}

export async function renderReport(report: Report, format: DownloadFormat): Promise<string> {
  if (format === 'csv') return toCsv(report)
  if (format === 'html') return toHtml(report)
  return `${JSON.stringify(report, null, 2)}\n`
}
