import type { TaskMessage, TimeLimit } from '../core/message.ts'

/**
 * Time limits set at run time by `control time_limit` (Celery's command of the same name): they
 * replace, in this worker, the limits each message of the task carries, so an operator can rein in
 * a task that hangs, or give a slow one more room, without redeploying or re-enqueueing.
 */
export class TimeLimitOverrides {
  private readonly limits = new Map<string, TimeLimit>()

  /** Limits in ms; 0 means none. Both 0 still overrides: the task then runs without limits. */
  set(task: string, softMs: number, hardMs: number): void {
    this.limits.set(task, {
      ...(softMs > 0 ? { soft: softMs } : {}),
      ...(hardMs > 0 ? { hard: hardMs } : {}),
    })
  }

  /** The message as this worker runs it: with the override's limits when the task has one. */
  apply(message: TaskMessage): TaskMessage {
    const limit = this.limits.get(message.task)
    return limit === undefined ? message : { ...message, timeLimit: limit }
  }
}
