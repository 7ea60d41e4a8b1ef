import { z } from 'zod'
import { field } from '../define-field.ts'
import { ExportSources } from '../export-sources.ts'

/** The image, export, report and maintenance tasks: their folders and limits. */
export const FILE_TASK_FIELDS = {
  mediaRoot: field({
    schema: z.string().min(1),
    default: './data/media',
    env: 'CELERIAC_MEDIA_ROOT',
    kind: 'string',
    help: 'root of the files image.process reads and writes (file_path is relative to it)',
    expected: 'a folder path',
  }),
  exportsDir: field({
    schema: z.string().min(1),
    default: './data/exports',
    env: 'CELERIAC_EXPORTS_DIR',
    kind: 'string',
    help: 'where exports and reports are written; the API serves them by download id',
    expected: 'a folder path',
  }),
  backupDir: field({
    schema: z.string().min(1),
    default: './data/backups',
    env: 'CELERIAC_BACKUP_DIR',
    kind: 'string',
    help: 'where maintenance.backup writes SQLite backups',
    expected: 'a folder path',
  }),
  imagePoolSize: field({
    schema: z.number().int().min(1).max(256).nullable(),
    default: null,
    env: 'CELERIAC_IMAGE_THREADS',
    kind: 'nullable-int',
    help: 'image threads',
    defaultText: 'one per core',
    expected: 'a number of threads from 1 to 256 (0 or empty: one per core)',
  }),
  imageMaxTasksPerThread: field({
    schema: z.number().int().min(0),
    default: 200,
    env: 'CELERIAC_IMAGE_MAX_TASKS_PER_THREAD',
    kind: 'int',
    help: 'replace an image thread after this many images (0: never)',
    expected: 'a number of images (0: never recycle)',
  }),
  imageThreadMemoryMb: field({
    schema: z.number().int().min(16).nullable(),
    // Decoding a PNG at the default 50 MP pixel limit grows the process by about 800 MB.
    default: 1_024,
    env: 'CELERIAC_IMAGE_THREAD_MEMORY_MB',
    kind: 'nullable-int',
    help: 'memory ceiling per image thread, in MB: an image that grows the process above it is stopped mid-decode (ThreadMemoryError), a thread whose heap stays above it is replaced',
    expected: 'MB, at least 16 (0 or empty: no ceiling)',
  }),
  imageMaxPixels: field({
    schema: z.number().int().min(1),
    default: 50_000_000,
    env: 'CELERIAC_IMAGE_MAX_PIXELS',
    kind: 'int',
    help: 'largest width × height image.process decodes (checked before decoding)',
    expected: 'a positive number of pixels',
  }),
  filesRetentionDays: field({
    schema: z.number().min(0).max(3_650),
    default: 7,
    env: 'CELERIAC_FILES_RETENTION_DAYS',
    kind: 'int',
    help: 'maintenance.cleanup_files deletes exports and reports older than this many days',
    expected: 'a number of days from 0 to 3650',
  }),
  exportSources: field({
    schema: ExportSources,
    default: {},
    env: 'CELERIAC_EXPORT_SOURCES',
    kind: 'json',
    help: 'export.csv data sources with their table and column allow-lists (JSON)',
    defaultText: 'none',
    expected:
      'a JSON object of sources: {"shop": {"url": "postgres://…" or "sqlite:///path.db", "tables": {"orders": ["id", "total"]}}}',
  }),
}
