/**
 * Routes the Celery setups we replace expose, and the built-in task each one enqueues (its body is
 * that task's input). Until a task exists, its route answers 404 unknown_task.
 */
export const CONVENIENCE_ROUTES: Readonly<Record<string, string>> = {
  '/tasks/email/send': 'email.send',
  '/tasks/email/bulk': 'email.bulk',
  '/tasks/image/process': 'image.process',
  '/tasks/export': 'export.csv',
  '/tasks/report': 'report.generate',
}

/** What POST /api/v1/health_check runs. */
export const HEALTH_CHECK_TASK = 'system.health_check'
