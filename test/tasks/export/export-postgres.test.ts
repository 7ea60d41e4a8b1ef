import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { SQL } from 'bun'
import Papa from 'papaparse'
import { resolveDownload } from '../../../src/files/resolve-download.ts'
import { createExportTask, type ExportResult } from '../../../src/tasks/export/export-task.ts'
import { exportedIds, runTask, testServices } from '../file-task-fixtures.ts'

const URL = process.env.CELERIAC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

describe('export.csv from PostgreSQL', () => {
  test('streams a filtered table through a server-side cursor', async () => {
    const table = `celeriac_export_${Bun.randomUUIDv7().replaceAll('-', '')}`
    const sql = new SQL(URL)
    try {
      await sql.unsafe(
        `CREATE TABLE ${table} (id serial PRIMARY KEY, email text, plan text, amount numeric(10,2), created_at timestamptz)`,
      )
      await sql.unsafe(
        `INSERT INTO ${table} (email, plan, amount, created_at)
         SELECT 'user' || g || '@example.com', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END, g * 1.5 - 20,
                timestamptz '2026-01-01T00:00:00Z' + g * interval '1 hour'
         FROM generate_series(1, 12000) g`,
      )
      await sql.unsafe(
        `INSERT INTO ${table} (email, plan, amount) VALUES ('=HYPERLINK("http://x")', 'pro', 1)`,
      )
      const services = testServices({
        exportSources: {
          app: { url: URL, tables: { [table]: ['id', 'email', 'plan', 'amount', 'created_at'] } },
        },
      })
      const input = {
        source: 'app',
        table,
        fields: ['id', 'email', 'amount', 'created_at'],
        filters: { plan: { in: ['pro'] }, amount: { gte: -20 }, email: { lt: 'zzz' } },
      }
      const result = (await runTask(createExportTask(services), input)) as ExportResult
      expect(result.rows).toBe(4_001)
      const download = await resolveDownload(services.settings.exportsDir, result.download_id)
      const rows = Papa.parse<string[]>(readFileSync(download?.path as string, 'utf8').trimEnd(), {
        newline: '\r\n',
      }).data
      expect(rows[0]).toEqual(['id', 'email', 'amount', 'created_at'])
      const byId = new Map(rows.slice(1).map((r) => [r[0], r]))
      // A numeric string is not a formula: negative amounts stay readable numbers.
      expect(byId.get('3')).toEqual(['3', 'user3@example.com', '-15.50', '2026-01-01T03:00:00.000Z'])
      expect(byId.get('12001')?.[1]).toBe('\'=HYPERLINK("http://x")')
    } finally {
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`)
      await sql.close()
    }
  })

  test('crosses its 5,000-row fetches: every one of 12,001 rows arrives exactly once', async () => {
    const table = `celeriac_export_${Bun.randomUUIDv7().replaceAll('-', '')}`
    const sql = new SQL(URL)
    try {
      await sql.unsafe(`CREATE TABLE ${table} (id integer PRIMARY KEY)`)
      await sql.unsafe(`INSERT INTO ${table} SELECT g FROM generate_series(1, 12001) g`)
      const services = testServices({ exportSources: { app: { url: URL, tables: { [table]: ['id'] } } } })
      const { rows, ids } = await exportedIds(services, 'app', table)
      expect(rows).toBe(12_001)
      expect(ids).toEqual(Array.from({ length: 12_001 }, (_, i) => String(i + 1)))
    } finally {
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`)
      await sql.close()
    }
  })

  test('reads in a read-only transaction: a view whose function writes cannot write through an export', async () => {
    const suffix = Bun.randomUUIDv7().replaceAll('-', '')
    const [log, view, fn] = [`celeriac_log_${suffix}`, `celeriac_view_${suffix}`, `celeriac_fn_${suffix}`]
    const sql = new SQL(URL)
    try {
      await sql.unsafe(`CREATE TABLE ${log} (n integer)`)
      await sql.unsafe(
        `CREATE FUNCTION ${fn}() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
         BEGIN INSERT INTO ${log} VALUES (1); RETURN 1; END $$`,
      )
      await sql.unsafe(`CREATE VIEW ${view} AS SELECT g AS id, ${fn}() AS x FROM generate_series(1, 3) g`)
      const services = testServices({ exportSources: { app: { url: URL, tables: { [view]: ['id', 'x'] } } } })
      const attempt = runTask(createExportTask(services), { source: 'app', table: view, fields: ['id', 'x'] })
      await expect(attempt).rejects.toThrow('read-only transaction')
      expect((await sql.unsafe(`SELECT count(*)::int AS n FROM ${log}`))[0].n).toBe(0)
    } finally {
      await sql.unsafe(`DROP VIEW IF EXISTS ${view}`)
      await sql.unsafe(`DROP FUNCTION IF EXISTS ${fn}()`)
      await sql.unsafe(`DROP TABLE IF EXISTS ${log}`)
      await sql.close()
    }
  })
})
