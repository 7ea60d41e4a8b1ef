import { CeleriacError, TimeoutError } from '../core/errors.ts'
import type { TaskErrorInfo, TaskResult } from '../core/result.ts'
import { isTerminal } from '../core/states.ts'

export type ResultSource = (id: string) => Promise<TaskResult | null>

export interface WaitOptions {
  /** Give up after this many ms (default 30 s). */
  timeout?: number
  /** Poll interval in ms (default 50, growing to 500). */
  interval?: number
}

/** A task ended in FAILURE or REVOKED while its caller waited for a value (Celery's `.get()` raising). */
export class TaskFailedError extends CeleriacError {
  override name = 'TaskFailedError'
  constructor(
    readonly taskId: string,
    readonly state: TaskResult['state'],
    readonly error: TaskErrorInfo | null,
  ) {
    super('BROKER', `task ${taskId} ended ${state}${error ? `: ${error.type}: ${error.message}` : ''}`)
  }
}

/** Celery's AsyncResult: a task id plus ways to look at its outcome. */
export class TaskHandle<R = unknown> {
  constructor(
    readonly id: string,
    /** false when an idempotency key matched an earlier task. */
    readonly created: boolean,
    private readonly source: ResultSource,
  ) {}

  /** The stored result, or a PENDING placeholder when there is none (unknown or expired), as Celery does. */
  async state(): Promise<TaskResult['state']> {
    return (await this.source(this.id))?.state ?? 'PENDING'
  }

  /** Waits for a terminal state and returns the whole stored result. */
  async wait(options: WaitOptions = {}): Promise<TaskResult> {
    const timeout = options.timeout ?? 30_000
    const deadline = Date.now() + timeout
    let interval = options.interval ?? 50
    for (;;) {
      const result = await this.source(this.id)
      if (result && isTerminal(result.state)) return result
      if (Date.now() >= deadline) {
        throw new TimeoutError(
          `task ${this.id} not finished after ${timeout} ms (state ${result?.state ?? 'PENDING'})`,
        )
      }
      await Bun.sleep(Math.min(interval, Math.max(1, deadline - Date.now())))
      interval = Math.min(interval * 2, 500)
    }
  }

  /** Waits and returns the task's value; throws TaskFailedError on FAILURE or REVOKED. */
  async result(options: WaitOptions = {}): Promise<R> {
    const stored = await this.wait(options)
    if (stored.state !== 'SUCCESS') throw new TaskFailedError(this.id, stored.state, stored.error)
    return stored.result as R
  }
}
