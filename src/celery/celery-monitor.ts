import { CeleryTaskLog, type CeleryTaskLogOptions } from './celery-task-log.ts'
import { CeleryWorkerLog } from './celery-worker-log.ts'
import { parseMonitorMessage } from './monitor-event.ts'

/**
 * Python Celery's tasks and workers as their events tell them: every message from the celeryev
 * channel goes through `record`, and the api's lists read `tasks` and `workers`.
 */
export class CeleryMonitor {
  readonly tasks: CeleryTaskLog
  readonly workers = new CeleryWorkerLog()

  constructor(options: CeleryTaskLogOptions) {
    this.tasks = new CeleryTaskLog(options)
  }

  /** Applies one raw message's events; returns why each refused one was dropped (nothing is thrown). */
  record(raw: string, now: number): string[] {
    const dropped: string[] = []
    for (const parsed of parseMonitorMessage(raw)) {
      if (!parsed.ok) dropped.push(parsed.reason)
      else if (parsed.kind === 'task') {
        this.tasks.apply(parsed.event, now)
        this.workers.countTask(parsed.event)
      } else if (parsed.kind === 'worker') this.workers.apply(parsed.event, now)
    }
    return dropped
  }
}
