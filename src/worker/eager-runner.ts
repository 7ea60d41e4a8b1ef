import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskMessage } from '../core/message.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { TaskResult } from '../core/result.ts'
import type { EnqueueFromTask } from '../core/task.ts'
import { executeTask } from './execute-task.ts'
import { followWorkflow, type WorkflowFollower } from './follow-workflow.ts'
import { NEVER_INTERRUPTED } from './running-task.ts'

/**
 * Celery's `task_always_eager`: runs a message in-process at enqueue, through the same executor
 * as a worker (same validation, limits and retry decisions; retries run at once, countdowns are
 * not waited for), and keeps the result in memory in the shape a broker would store.
 */
export class EagerRunner {
  private readonly results = new Map<string, TaskResult>()
  /** What a task's ctx.enqueue calls: the eager client, set once it exists (it holds this runner). */
  enqueue: EnqueueFromTask | undefined
  /** What moves a workflow member's workflow on, run inline as Celery's eager canvas does; set with `enqueue`. */
  workflows: WorkflowFollower | undefined

  constructor(
    private readonly registry: TaskRegistry,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  get = async (id: string): Promise<TaskResult | null> => this.results.get(id) ?? null

  async run(message: TaskMessage): Promise<TaskResult> {
    const record = this.initial(message)
    for (;;) {
      record.attempts += 1
      record.startedAt = this.clock.now()
      let outcome = await executeTask(this.registry, {
        message,
        attempt: record.attempts,
        retries: record.retries,
        redelivered: false,
        interrupt: NEVER_INTERRUPTED,
        clock: this.clock,
        log: this.log.child({ task: message.task, id: message.id }),
        progress: async (meta) => {
          record.meta = meta
        },
        enqueue: this.enqueue,
      })
      if (outcome.kind === 'retry') {
        record.retries += 1
        record.error = outcome.error
        continue
      }
      if (message.workflow && this.workflows) outcome = await followWorkflow(this.workflows, message, outcome)
      record.finishedAt = this.clock.now()
      if (outcome.kind === 'ack') {
        Object.assign(record, {
          state: 'SUCCESS',
          result: outcome.result,
          error: null,
          runtimeMs: outcome.runtimeMs,
        })
      } else if (outcome.kind === 'fail') {
        Object.assign(record, { state: 'FAILURE', error: outcome.error, deadReason: outcome.reason })
        record.runtimeMs = outcome.runtimeMs
      } else {
        record.state = 'REVOKED'
      }
      this.results.set(message.id, record)
      return record
    }
  }

  private initial(message: TaskMessage): TaskResult {
    return {
      id: message.id,
      task: message.task,
      state: 'PENDING',
      queue: message.queue,
      input: message.input,
      result: null,
      error: null,
      meta: null,
      attempts: 0,
      retries: 0,
      worker: 'eager',
      deadReason: null,
      createdAt: message.createdAt,
      eta: message.eta,
      startedAt: null,
      finishedAt: null,
      runtimeMs: null,
      expiresAt: null,
    }
  }
}
