import { availableParallelism } from 'node:os'
import type { BrokerAdmin } from '../brokers/broker.ts'
import type { ExportSources } from '../config/export-sources.ts'
import { FILE_TASK_FIELDS } from '../config/fields/file-task-fields.ts'
import type { HealthCheckTarget } from '../config/health-checks.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import { ThreadPool } from '../threads/thread-pool.ts'
import { imageThreadEntry } from './image/image-thread-entry.ts'

/** The settings the file-producing and maintenance tasks read (from Config: fileTaskSettings). */
export interface FileTaskSettings {
  mediaRoot: string
  exportsDir: string
  backupDir: string
  /** Image threads; null: one per core. */
  imagePoolSize: number | null
  imageMaxTasksPerThread: number
  /**
   * Memory ceiling per image thread: a thread whose job grows the process above it is stopped
   * mid-job, and one whose heap is above it after a job is replaced; null: never.
   */
  imageThreadMemoryMb: number | null
  imageMaxPixels: number
  filesRetentionDays: number
  exportSources: ExportSources
  /** SMTP URL when email is configured; the health check probes it. */
  smtpUrl: string | null
  /** The app's own services the health check also probes. */
  healthChecks: readonly HealthCheckTarget[]
  /** Private hosts the HTTP health checks may reach (the outbound rules of every request). */
  outboundAllowList: readonly string[]
}

/**
 * What image, export, report and maintenance tasks need at run time, handed to their factories
 * explicitly: no task reaches for a global. Costly things (broker, thread pool) start on first use.
 */
export interface FileTaskServices {
  readonly settings: FileTaskSettings
  readonly clock: Clock
  /** The broker's admin face: task history for reports and exports, cleanup, ping, backup. */
  admin(): Promise<BrokerAdmin>
  /** The image thread pool, started on first use. */
  imagePool(): ThreadPool
}

export interface OwnedFileTaskServices extends FileTaskServices {
  /** Stops the thread pool (if started): call it once the worker has stopped. */
  close(): Promise<void>
}

export function createFileTaskServices(options: {
  settings: FileTaskSettings
  admin: () => Promise<BrokerAdmin>
  clock?: Clock
}): OwnedFileTaskServices {
  const { settings } = options
  let pool: ThreadPool | null = null
  return {
    settings,
    clock: options.clock ?? systemClock,
    admin: options.admin,
    imagePool() {
      const ceilingBytes =
        settings.imageThreadMemoryMb === null ? null : settings.imageThreadMemoryMb * 1024 * 1024
      pool ??= new ThreadPool({
        entry: imageThreadEntry(),
        size: settings.imagePoolSize ?? availableParallelism(),
        maxTasksPerThread: settings.imageMaxTasksPerThread,
        maxHeapBytes: ceilingBytes,
        memoryCeilingBytes: ceilingBytes,
        ceilingSetting: FILE_TASK_FIELDS.imageThreadMemoryMb.env,
        label: 'image',
      })
      return pool
    },
    async close() {
      await pool?.close()
      pool = null
    },
  }
}
