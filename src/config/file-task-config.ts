import { z } from 'zod'
import { ExportSources } from './export-sources.ts'
import type { FieldSource } from './field-source.ts'

/**
 * Settings of the image, export, report and maintenance tasks: spread into Config, its defaults
 * and its field sources, so those shared files carry one line each for them.
 */
export const FILE_TASK_CONFIG = {
  /** Root of the files image.process reads and writes (`file_path` is relative to it). */
  mediaRoot: z.string().min(1),
  /** Where exports and reports are written; the API serves them by download id. */
  exportsDir: z.string().min(1),
  /** Where maintenance.backup writes SQLite backups. */
  backupDir: z.string().min(1),
  /** Image threads; null: one per core. */
  imagePoolSize: z.number().int().min(1).max(256).nullable(),
  /** Replace an image thread after this many images (0: never). */
  imageMaxTasksPerThread: z.number().int().min(0),
  /** Replace an image thread whose heap is above this after an image; null: never. */
  imageThreadMemoryMb: z.number().int().min(16).nullable(),
  /** Largest width × height image.process decodes (checked from the header, before decoding). */
  imageMaxPixels: z.number().int().min(1),
  /** maintenance.cleanup_files deletes exports and reports older than this. */
  filesRetentionDays: z.number().min(0).max(3_650),
  /** export.csv data sources with their table and column allow-lists. */
  exportSources: ExportSources,
}

export const FILE_TASK_DEFAULTS = {
  mediaRoot: './data/media',
  exportsDir: './data/exports',
  backupDir: './data/backups',
  imagePoolSize: null,
  imageMaxTasksPerThread: 200,
  imageThreadMemoryMb: 512,
  imageMaxPixels: 50_000_000,
  filesRetentionDays: 7,
  exportSources: {},
}

export const FILE_TASK_FIELDS = [
  { key: 'mediaRoot', env: 'CELERIAC_MEDIA_ROOT', kind: 'string', expected: 'a folder path' },
  { key: 'exportsDir', env: 'CELERIAC_EXPORTS_DIR', kind: 'string', expected: 'a folder path' },
  { key: 'backupDir', env: 'CELERIAC_BACKUP_DIR', kind: 'string', expected: 'a folder path' },
  {
    key: 'imagePoolSize',
    env: 'CELERIAC_IMAGE_THREADS',
    kind: 'nullable-int',
    expected: 'a number of threads from 1 to 256 (0 or empty: one per core)',
  },
  {
    key: 'imageMaxTasksPerThread',
    env: 'CELERIAC_IMAGE_MAX_TASKS_PER_THREAD',
    kind: 'int',
    expected: 'a number of images (0: never recycle)',
  },
  {
    key: 'imageThreadMemoryMb',
    env: 'CELERIAC_IMAGE_THREAD_MEMORY_MB',
    kind: 'nullable-int',
    expected: 'MB, at least 16 (0 or empty: no ceiling)',
  },
  {
    key: 'imageMaxPixels',
    env: 'CELERIAC_IMAGE_MAX_PIXELS',
    kind: 'int',
    expected: 'a positive number of pixels',
  },
  {
    key: 'filesRetentionDays',
    env: 'CELERIAC_FILES_RETENTION_DAYS',
    kind: 'int',
    expected: 'a number of days from 0 to 3650',
  },
  {
    key: 'exportSources',
    env: 'CELERIAC_EXPORT_SOURCES',
    kind: 'json',
    expected:
      'a JSON object of sources: {"shop": {"url": "postgres://…" or "sqlite:///path.db", "tables": {"orders": ["id", "total"]}}}',
  },
] as const satisfies readonly FieldSource[]
