import { TaskRegistry } from '../core/registry.ts'
import type { AnyTask } from '../core/task.ts'
import { debugFail, debugNoop, debugSleep } from './debug/debug-tasks.ts'
import { createEmailBulkTask } from './email/email-bulk-task.ts'
import { createEmailSendTask } from './email/email-send-task.ts'
import { createExportTask } from './export/export-task.ts'
import { createHttpRequestTask } from './http/http-request-task.ts'
import { createImageTask } from './image/image-task.ts'
import { createBackupTask } from './maintenance/backup-task.ts'
import { createCleanupFilesTask } from './maintenance/cleanup-files-task.ts'
import { createCleanupResultsTask } from './maintenance/cleanup-results-task.ts'
import { createHealthCheckTask } from './maintenance/health-check-task.ts'
import { createNotifyTask } from './notify/notify-task.ts'
import { createReportTask } from './report/report-task.ts'
import { createSmsBulkTask } from './sms/sms-bulk-task.ts'
import { createSmsSendTask } from './sms/sms-send-task.ts'
import { createTaskServices, type TaskServices } from './task-services.ts'

/** Built-in tasks that need nothing from their process. */
export const debugTasks: readonly AnyTask[] = [debugNoop, debugSleep, debugFail]

/**
 * Every built-in task, listed by hand (a compiled binary cannot scan a folder). Tasks that need
 * config, a transport or the broker are made by factories over `services`, so nothing is a
 * process-wide singleton and tests can hand in their own.
 */
export function createBuiltinTasks(services: TaskServices): AnyTask[] {
  return [
    ...debugTasks,
    createEmailSendTask(services),
    createEmailBulkTask(services),
    createHttpRequestTask(services),
    createSmsSendTask(services),
    createSmsBulkTask(services),
    createNotifyTask(services),
    createImageTask(services),
    createExportTask(services),
    createReportTask(services),
    createCleanupResultsTask(services),
    createCleanupFilesTask(services),
    createHealthCheckTask(services),
    createBackupTask(services),
  ]
}

/** A registry of the built-ins plus `extra`; default services: default config, no broker. */
export function createBuiltinRegistry(
  extra: AnyTask[] = [],
  services: TaskServices = createTaskServices(),
): TaskRegistry {
  return new TaskRegistry([...createBuiltinTasks(services), ...extra])
}
