import type { DownloadFile } from '../../files/create-download-file.ts'

/** papaparse, loaded by the first export or report that writes CSV (the runtime keeps it). */
export const loadPapa = async () => (await import('papaparse')).default

/**
 * Cells a spreadsheet would run as a formula (= + - @, tab, CR first) get a leading `'`. Unlike
 * papaparse's own `escapeFormulae: true` (whose `.*$` lets a cell with a newline through), this
 * checks only the first character; text that is just a number (`-5`, `+3.2`) is left alone.
 */
export const FORMULA_START = /^(?![-+]?\d+(\.\d+)?([eE][-+]?\d+)?$)[=+\-@\t\r]/

function cell(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return JSON.stringify(value)
  return value
}

/**
 * Writes a header and then each chunk as CSV, awaiting every write: memory holds one chunk, however
 * many rows there are. Checks `signal` between chunks. Returns the number of data rows.
 */
export async function writeCsv(
  file: DownloadFile,
  header: readonly string[],
  chunks: AsyncIterable<unknown[][]>,
  signal: AbortSignal,
): Promise<number> {
  const Papa = await loadPapa()
  const options = { escapeFormulae: FORMULA_START, newline: '\r\n' }
  await file.write(`${Papa.unparse([header as string[]], options)}\r\n`)
  let rows = 0
  for await (const chunk of chunks) {
    signal.throwIfAborted()
    await file.write(
      `${Papa.unparse(
        chunk.map((row) => row.map(cell)),
        options,
      )}\r\n`,
    )
    rows += chunk.length
  }
  return rows
}
