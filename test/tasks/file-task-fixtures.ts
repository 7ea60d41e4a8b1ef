import { afterEach } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrokerAdmin } from '../../src/brokers/broker.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { AnyTask, TaskContext } from '../../src/core/task.ts'
import { resolveDownload } from '../../src/files/resolve-download.ts'
import { createExportTask } from '../../src/tasks/export/export-task.ts'
import {
  createFileTaskServices,
  type FileTaskSettings,
  type OwnedFileTaskServices,
} from '../../src/tasks/file-task-services.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A temp folder deleted after the test. */
export function tempDir(prefix = 'celeriac-files'): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function testSettings(overrides: Partial<FileTaskSettings> = {}): FileTaskSettings {
  const dir = tempDir()
  return {
    mediaRoot: join(dir, 'media'),
    exportsDir: join(dir, 'exports'),
    backupDir: join(dir, 'backups'),
    imagePoolSize: 2,
    imageMaxTasksPerThread: 100,
    imageThreadMemoryMb: null,
    imageMaxPixels: 40_000_000,
    filesRetentionDays: 7,
    exportSources: {},
    smtpUrl: null,
    healthChecks: [],
    outboundAllowList: [],
    ...overrides,
  }
}

/** Services over temp folders; the thread pool is closed after the test. */
export function testServices(
  overrides: Partial<FileTaskSettings> = {},
  admin?: BrokerAdmin,
): OwnedFileTaskServices {
  const services = createFileTaskServices({
    settings: testSettings(overrides),
    admin: async () => {
      if (!admin) throw new Error('no broker in this test')
      return admin
    },
  })
  cleanups.push(() => services.close())
  return services
}

/** Runs a task's code directly (input validated like the worker does), with a minimal context. */
export async function runTask(
  task: AnyTask,
  input: unknown,
  signal = new AbortController().signal,
): Promise<unknown> {
  const parsed = task.input.parse(input)
  const ctx: TaskContext = {
    id: Bun.randomUUIDv7(),
    name: task.name,
    attempt: 1,
    retries: 0,
    redelivered: false,
    queue: task.options.queue,
    parentId: null,
    rootId: null,
    signal,
    progress: async () => {},
    retry: () => {
      throw new Error('retry')
    },
    enqueue: () => Promise.reject(new Error('no broker in a direct run')),
    log: silentLogger,
  }
  return task.run(parsed, ctx)
}

/** Exports one id column of `source`/`table` and returns the row count and the ids, sorted. */
export async function exportedIds(
  services: ReturnType<typeof testServices>,
  source: string,
  table?: string,
): Promise<{ rows: number; ids: string[] }> {
  const input = table === undefined ? { source, fields: ['id'] } : { source, table, fields: ['id'] }
  const result = (await runTask(createExportTask(services), input)) as { rows: number; download_id: string }
  const download = await resolveDownload(services.settings.exportsDir, result.download_id)
  const text = await Bun.file(download?.path as string).text()
  const ids = text.trimEnd().split('\r\n').slice(1)
  return { rows: result.rows, ids: ids.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) }
}
