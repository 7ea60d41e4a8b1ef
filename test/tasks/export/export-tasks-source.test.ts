import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import Papa from 'papaparse'
import { Client } from '../../../src/client/client.ts'
import { TaskRegistry } from '../../../src/core/registry.ts'
import { resolveDownload } from '../../../src/files/resolve-download.ts'
import { debugNoop } from '../../../src/tasks/debug/debug-tasks.ts'
import { createExportTask, type ExportResult } from '../../../src/tasks/export/export-task.ts'
import { makeBroker } from '../../worker/helpers.ts'
import { runTask, testServices } from '../file-task-fixtures.ts'
import { brokerWithHistory, HOSTILE_MESSAGE } from '../history-fixture.ts'

describe("export.csv from the built-in 'tasks' source", () => {
  test('pages through the task history with filters the broker applies', async () => {
    const broker = await brokerWithHistory(7, 3)
    const services = testServices({}, broker)
    const task = createExportTask(services)
    const input = {
      source: 'tasks',
      fields: ['id', 'name', 'state', 'error_message'],
      filters: { state: 'FAILURE' },
    }
    const result = (await runTask(task, input)) as ExportResult
    expect(result.rows).toBe(3)
    const path = (await resolveDownload(services.settings.exportsDir, result.download_id))?.path as string
    const rows = Papa.parse<string[]>(readFileSync(path, 'utf8').trimEnd(), { newline: '\r\n' }).data
    expect(rows[0]).toEqual(['id', 'name', 'state', 'error_message'])
    expect(rows.slice(1).map((r) => [r[1], r[2], r[3]])).toEqual(
      Array(3).fill(['test.boom', 'FAILURE', HOSTILE_MESSAGE]),
    )
    const all = (await runTask(task, { source: 'tasks', fields: ['id'] })) as ExportResult
    expect(all.rows).toBe(10)
  })

  test('pages past its 5,000-task chunks: every one of 5,003 tasks arrives exactly once', async () => {
    const broker = makeBroker()
    const client = new Client({ broker, registry: new TaskRegistry([debugNoop]) })
    const ids = (
      await client.enqueueMany(Array.from({ length: 5_003 }, () => ({ task: 'debug.noop', input: {} })))
    ).map((h) => h.id)
    const services = testServices({}, broker)
    const result = (await runTask(createExportTask(services), {
      source: 'tasks',
      fields: ['id'],
    })) as ExportResult
    expect(result.rows).toBe(5_003)
    const path = (await resolveDownload(services.settings.exportsDir, result.download_id))?.path as string
    const exported = readFileSync(path, 'utf8').trimEnd().split('\r\n').slice(1)
    expect(exported.sort()).toEqual(ids.sort())
  })

  test('refuses filters the task history cannot apply', async () => {
    const services = testServices({}, await brokerWithHistory(1, 0))
    const err = await runTask(createExportTask(services), {
      source: 'tasks',
      fields: ['id'],
      filters: { worker: 'x' },
    }).catch((e: Error) => e)
    expect((err as Error).message).toContain('filters.worker')
  })
})
