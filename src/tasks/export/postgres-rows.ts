import { SQL } from 'bun'
import type { SelectQuery } from './build-select.ts'

/**
 * Streams a SELECT from PostgreSQL in chunks through a server-side cursor in a read-only
 * transaction: the server holds the result, we FETCH `chunkSize` rows at a time.
 */
export async function* postgresRows(
  url: string,
  query: SelectQuery,
  chunkSize: number,
): AsyncGenerator<unknown[][]> {
  const sql = new SQL(url, { max: 1 })
  try {
    const conn = await sql.reserve()
    try {
      await conn.unsafe('BEGIN READ ONLY')
      await conn.unsafe(`DECLARE celeriac_export NO SCROLL CURSOR FOR ${query.sql}`, query.params)
      while (true) {
        const rows = (await conn.unsafe(`FETCH ${chunkSize} FROM celeriac_export`).values()) as unknown[][]
        if (rows.length === 0) break
        yield [...rows]
        if (rows.length < chunkSize) break
      }
      await conn.unsafe('COMMIT')
    } finally {
      conn.release()
    }
  } finally {
    await sql.close()
  }
}
