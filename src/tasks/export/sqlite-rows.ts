import { Database } from 'bun:sqlite'
import type { SelectQuery } from './build-select.ts'

/**
 * Streams a SELECT from a SQLite file in chunks of rows (arrays in field order). The file is opened
 * read-only; `iterate` steps the statement, so only one chunk is in memory at a time.
 */
export async function* sqliteRows(
  path: string,
  query: SelectQuery,
  fields: readonly string[],
  chunkSize: number,
): AsyncGenerator<unknown[][]> {
  const db = new Database(path, { readonly: true })
  try {
    const stmt = db.query<Record<string, unknown>, never[]>(query.sql)
    let chunk: unknown[][] = []
    for (const row of stmt.iterate(...(query.params as never[]))) {
      chunk.push(fields.map((field) => row[field]))
      if (chunk.length >= chunkSize) {
        yield chunk
        chunk = []
      }
    }
    if (chunk.length > 0) yield chunk
  } finally {
    db.close()
  }
}
