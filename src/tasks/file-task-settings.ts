import type { Config } from '../config/config-schema.ts'
import type { FileTaskSettings } from './file-task-services.ts'

/** The part of Config the image, export, report and maintenance tasks read. */
export function fileTaskSettings(config: Config): FileTaskSettings {
  return {
    mediaRoot: config.mediaRoot,
    exportsDir: config.exportsDir,
    backupDir: config.backupDir,
    imagePoolSize: config.imagePoolSize,
    imageMaxTasksPerThread: config.imageMaxTasksPerThread,
    imageThreadMemoryMb: config.imageThreadMemoryMb,
    imageMaxPixels: config.imageMaxPixels,
    filesRetentionDays: config.filesRetentionDays,
    exportSources: config.exportSources,
    smtpUrl: config.smtpUrl,
    healthChecks: config.healthChecks,
    outboundAllowList: config.outboundAllowList,
  }
}
