import { exportSourceNamed, sqlitePath } from '../../config/export-sources.ts'
import type { TaskContext } from '../../core/task.ts'
import { defineTask } from '../../core/task.ts'
import { createDownloadFile } from '../../files/create-download-file.ts'
import type { FileTaskServices } from '../file-task-services.ts'
import { buildSelect } from './build-select.ts'
import { type ExportInput, exportInput } from './export-input.ts'
import { postgresRows } from './postgres-rows.ts'
import { sqliteRows } from './sqlite-rows.ts'
import { taskQuery, taskRows } from './task-rows.ts'
import { writeCsv } from './write-csv.ts'

/** Rows per read and per CSV write: large enough to be fast, small enough to keep memory flat. */
const CHUNK_ROWS = 5_000

export interface ExportResult {
  /** Download it at GET /api/v1/files/{download_id}. */
  download_id: string
  rows: number
  bytes: number
}

async function rowsOf(input: ExportInput, services: FileTaskServices): Promise<AsyncIterable<unknown[][]>> {
  if (input.source === 'tasks') {
    return taskRows(await services.admin(), taskQuery(input.filters), input.fields, CHUNK_ROWS)
  }
  const source = exportSourceNamed(services.settings.exportSources, input.source)
  if (!source || input.table === undefined) throw new Error('export.csv: source vanished after validation')
  if (source.url.startsWith('sqlite:')) {
    const query = buildSelect('sqlite', input.table, input.fields, input.filters)
    return sqliteRows(sqlitePath(source.url), query, input.fields, CHUNK_ROWS)
  }
  return postgresRows(
    source.url,
    buildSelect('postgres', input.table, input.fields, input.filters),
    CHUNK_ROWS,
  )
}

async function runExport(
  input: ExportInput,
  ctx: TaskContext,
  services: FileTaskServices,
): Promise<ExportResult> {
  const file = await createDownloadFile(services.settings.exportsDir, 'csv')
  try {
    const rows = await writeCsv(file, input.fields, await rowsOf(input, services), ctx.signal)
    const bytes = await file.commit()
    ctx.log.info(`export.csv: ${rows} rows (${bytes} bytes) from ${input.source}`, { download_id: file.id })
    return { download_id: file.id, rows, bytes }
  } catch (err) {
    await file.abort()
    throw err
  }
}

/** export.csv: streams an allow-listed table (or the task history) to a CSV file in the exports folder. */
export function createExportTask(services: FileTaskServices) {
  return defineTask({
    name: 'export.csv',
    description:
      'Streams allow-listed columns of a configured SQLite/PostgreSQL table (or the task history) to a CSV download.',
    queue: 'exports',
    input: exportInput(services.settings.exportSources),
    retry: { max: 3, backoff: 'exponential', delay: 10_000, maxDelay: 300_000, jitter: true },
    timeLimit: { soft: 30 * 60_000, hard: 35 * 60_000 },
    run: (input, ctx) => runExport(input, ctx, services),
  })
}
