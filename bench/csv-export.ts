/**
 * export.csv on a million rows: rows/s and the process's peak RSS while the CSV streams out, from
 * a SQLite file and from PostgreSQL (a throwaway table). Memory must stay flat: one chunk of rows
 * is in memory at a time, whatever the row count.
 *
 *   bun bench/csv-export.ts [--rows 1000000] [--source both|sqlite|postgres] [--postgres URL]
 */
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SQL } from 'bun'
import type { ExportSources } from '../src/config/export-sources.ts'
import { silentLogger } from '../src/core/logger.ts'
import type { TaskContext } from '../src/core/task.ts'
import { createExportTask, type ExportResult } from '../src/tasks/export/export-task.ts'
import { createFileTaskServices } from '../src/tasks/file-task-services.ts'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    source: { type: 'string', default: 'both' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
})
const ROWS = Number(values.rows)
const FIELDS = ['id', 'customer', 'email', 'total', 'status', 'created_at']
const dir = mkdtempSync(join(tmpdir(), 'celeriac-bench-csv-'))

function fillSqlite(path: string): void {
  const db = new Database(path)
  db.run(
    'CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, email TEXT, total REAL, status TEXT, created_at TEXT)',
  )
  const insert = db.prepare(
    'INSERT INTO orders (customer, email, total, status, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++)
      insert.run(
        `Customer ${i}`,
        `user${i}@example.com`,
        (i % 997) * 1.25,
        i % 3 ? 'paid' : 'open',
        new Date(1.7e12 + i * 1000).toISOString(),
      )
  })()
  db.close()
}

async function fillPostgres(table: string): Promise<void> {
  const sql = new SQL(values.postgres)
  await sql.unsafe(
    `CREATE TABLE ${table} (id serial PRIMARY KEY, customer text, email text, total numeric(10,2), status text, created_at timestamptz)`,
  )
  await sql.unsafe(
    `INSERT INTO ${table} (customer, email, total, status, created_at)
     SELECT 'Customer ' || g, 'user' || g || '@example.com', (g % 997) * 1.25, CASE WHEN g % 3 = 0 THEN 'open' ELSE 'paid' END,
            timestamptz '2023-11-14' + g * interval '1 second' FROM generate_series(1, ${ROWS}) g`,
  )
  await sql.close()
}

async function measure(label: string, sources: ExportSources, table: string): Promise<void> {
  const services = createFileTaskServices({
    settings: {
      mediaRoot: dir,
      exportsDir: join(dir, 'exports'),
      backupDir: dir,
      imagePoolSize: 1,
      imageMaxTasksPerThread: 0,
      imageThreadMemoryMb: null,
      imageMaxPixels: 1,
      filesRetentionDays: 1,
      exportSources: sources,
      smtpUrl: null,
      healthChecks: [],
      outboundAllowList: [],
    },
    admin: async () => {
      throw new Error('unused')
    },
  })
  const task = createExportTask(services)
  Bun.gc(true)
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const started = performance.now()
  const never = new AbortController().signal
  const ctx = { signal: never, log: silentLogger } as TaskContext
  const result = (await task.run(
    task.input.parse({ source: 'db', table, fields: FIELDS }),
    ctx,
  )) as ExportResult
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0)
  console.log(
    `  ${label}: ${result.rows} rows in ${seconds.toFixed(2)} s = ${Math.round(result.rows / seconds).toLocaleString('en')} rows/s, ` +
      `${mb(result.bytes)} MB of CSV; RSS ${mb(before)} MB before, peak ${mb(peak)} MB (+${mb(peak - before)} MB)`,
  )
}

console.log(`export.csv: ${ROWS.toLocaleString('en')} rows × ${FIELDS.length} columns, chunks of 5,000`)
try {
  if (values.source !== 'postgres') {
    const path = join(dir, 'shop.db')
    fillSqlite(path)
    await measure('SQLite', { db: { url: `sqlite://${path}`, tables: { orders: FIELDS } } }, 'orders')
  }
  if (values.source !== 'sqlite') {
    const table = `celeriac_bench_${Bun.randomUUIDv7().replaceAll('-', '')}`
    try {
      await fillPostgres(table)
      await measure('PostgreSQL', { db: { url: values.postgres, tables: { [table]: FIELDS } } }, table)
    } finally {
      const sql = new SQL(values.postgres)
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`)
      await sql.close()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
