import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { resolveDownload } from '../../../src/files/resolve-download.ts'
import { createExportTask, type ExportResult } from '../../../src/tasks/export/export-task.ts'
import { exportedIds, runTask, tempDir, testServices } from '../file-task-fixtures.ts'

const HOSTILE = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', '=1\n=2']

function makeSource() {
  const path = join(tempDir('celeriac-export'), 'shop.db')
  const db = new Database(path)
  db.run('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL, status TEXT, secret TEXT)')
  const insert = db.prepare('INSERT INTO orders (customer, total, status, secret) VALUES (?, ?, ?, ?)')
  for (let i = 1; i <= 20; i++) insert.run(`customer ${i}`, i * 10, i % 2 ? 'paid' : 'open', 'hunter2')
  for (const [i, text] of HOSTILE.entries()) insert.run(text, -5 - i, 'evil', 'hunter2')
  insert.run(null, 0, null, 'hunter2')
  db.close()
  return testServices({
    exportSources: {
      shop: { url: `sqlite://${path}`, tables: { orders: ['id', 'customer', 'total', 'status'] } },
    },
  })
}

async function exportRows(services: ReturnType<typeof makeSource>, input: object) {
  const result = (await runTask(createExportTask(services), {
    source: 'shop',
    table: 'orders',
    ...input,
  })) as ExportResult
  const download = await resolveDownload(services.settings.exportsDir, result.download_id)
  if (!download) throw new Error('download not found')
  const text = readFileSync(download.path, 'utf8')
  expect(download.bytes).toBe(result.bytes)
  return { result, rows: Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data, download }
}

describe('export.csv from a SQLite file', () => {
  test('crosses its 5,000-row chunks: every one of 12,001 rows arrives exactly once', async () => {
    const path = join(tempDir('celeriac-export'), 'big.db')
    const db = new Database(path)
    db.run('CREATE TABLE items (id INTEGER PRIMARY KEY)')
    db.run(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12001) INSERT INTO items SELECT i FROM n',
    )
    db.close()
    const services = testServices({
      exportSources: { big: { url: `sqlite://${path}`, tables: { items: ['id'] } } },
    })
    const { rows, ids } = await exportedIds(services, 'big', 'items')
    expect(rows).toBe(12_001)
    expect(ids).toEqual(Array.from({ length: 12_001 }, (_, i) => String(i + 1)))
  })

  test('streams allow-listed columns to a download with a header row', async () => {
    const { result, rows, download } = await exportRows(makeSource(), { fields: ['id', 'customer', 'total'] })
    expect(result.rows).toBe(28)
    expect(rows[0]).toEqual(['id', 'customer', 'total'])
    expect(rows[1]).toEqual(['1', 'customer 1', '10'])
    expect(rows).toHaveLength(29)
    expect(download.contentType).toBe('text/csv; charset=utf-8')
    expect(result.download_id).not.toContain('/')
  })

  test('neutralises formula cells with a leading quote, multi-line ones included; numbers stay numbers', async () => {
    const { rows } = await exportRows(makeSource(), {
      fields: ['customer', 'total'],
      filters: { status: 'evil' },
    })
    expect(rows.slice(1).map((r) => r[0])).toEqual(HOSTILE.map((text) => `'${text}`))
    expect(rows[1]?.[1]).toBe('-5')
  })

  test('filters by equality, list, range and null, all as bound values', async () => {
    const services = makeSource()
    const ids = async (filters: object) =>
      (await exportRows(services, { fields: ['id'], filters })).rows.slice(1).map((r) => Number(r[0]))
    expect(await ids({ status: 'paid', total: { gte: 50, lt: 100 } })).toEqual([5, 7, 9])
    expect(await ids({ id: { in: [2, 4, 99] } })).toEqual([2, 4])
    expect(await ids({ status: null })).toEqual([28])
    expect(await ids({ customer: "x' OR 1=1 --" })).toEqual([])
  })

  test('refuses columns, tables and sources off the allow-list, naming the field', () => {
    const task = createExportTask(makeSource())
    const issues = (input: object) =>
      task.input
        .safeParse({ source: 'shop', table: 'orders', ...input })
        .error?.issues.map((i) => ({ path: i.path, message: i.message }))
    expect(issues({ fields: ['id', 'secret'] })).toEqual([
      { path: ['fields', 1], message: "'secret' is not exportable; allowed: id, customer, total, status" },
    ])
    expect(issues({ fields: ['id'], filters: { secret: 'hunter2' } })?.[0]?.path).toEqual([
      'filters',
      'secret',
    ])
    expect(issues({ table: 'sqlite_master', fields: ['id'] })?.[0]?.message).toContain(
      "table 'sqlite_master' is not exportable",
    )
    expect(issues({ source: 'nope', fields: ['id'] })?.[0]?.message).toBe(
      "unknown source 'nope'; configured: tasks, shop",
    )
    expect(issues({ fields: ['id'], filters: { id: { in: [] } } })?.[0]?.path).toEqual(['filters', 'id'])
  })
})
