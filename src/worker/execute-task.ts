import type { Clock } from '../core/clock.ts'
import {
  CeleriacError,
  RetryError,
  SoftTimeLimitExceeded,
  TaskRevokedError,
  TimeLimitExceeded,
  toErrorInfo,
  UnknownTaskError,
  UnrecoverableError,
  ValidationError,
} from '../core/errors.ts'
import type { Json } from '../core/json.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskMessage } from '../core/message.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { DeadReason, TaskErrorInfo } from '../core/result.ts'
import { retryDelay } from '../core/retry-policy.ts'
import { type AnyTask, type EnqueueFromTask, retryThrower, type TaskContext } from '../core/task.ts'
import { parseOrThrow } from '../core/validate.ts'
import type { TaskInterrupt } from './running-task.ts'

/** What became of one execution; the worker turns it into a broker settlement. */
export type ExecutionOutcome =
  | { kind: 'ack'; result: Json | null; runtimeMs: number }
  | { kind: 'retry'; at: number; error: TaskErrorInfo }
  | { kind: 'fail'; error: TaskErrorInfo; reason: DeadReason; runtimeMs: number | null }
  | { kind: 'revoked'; reason: string }
  /** The caller stopped waiting (shutdown or lost lease): it decides what to record. */
  | { kind: 'abandoned'; reason: unknown }

export interface Execution {
  message: TaskMessage
  attempt: number
  retries: number
  redelivered: boolean
  /**
   * How the worker stops it: `stop` (revoke, shutdown) aborts ctx.signal; `kill` (revoke
   * --terminate, shutdown past grace) stops waiting at once, so the slot is freed now.
   */
  interrupt: TaskInterrupt
  clock: Clock
  log: Logger
  progress: (meta: Json) => Promise<void>
  /** What ctx.enqueue calls; a runner without one (a bare test run) rejects with a clear error. */
  enqueue?: EnqueueFromTask
  random?: () => number
}

/** Marks an abort caused by the worker shutting down, as opposed to a revoke or a time limit. */
export class ShutdownSignal extends Error {
  override name = 'WorkerShutdown'
}

/** Aborts a finished execution's signal (for listeners the task left behind): one shared instance, no stack per task. */
const EXECUTION_FINISHED = new ShutdownSignal('execution finished')

function toJson(value: unknown): Json | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object') return value as Json
  return JSON.parse(JSON.stringify(value)) as Json
}

/** Runs one message to an outcome: validation, limits, abort and the retry decision. */
export async function executeTask(registry: TaskRegistry, run: Execution): Promise<ExecutionOutcome> {
  const started = run.clock.now()
  const task = registry.get(run.message.task)
  if (!task) {
    const error = toErrorInfo(new UnknownTaskError(run.message.task, registry.names()))
    return { kind: 'fail', error, reason: 'unknown_task', runtimeMs: null }
  }
  const abort = new LazyAbort()
  run.interrupt.whenStopped((reason) => abort.abort(reason))
  const timers: ReturnType<typeof setTimeout>[] = []
  const { soft, hard } = run.message.timeLimit
  if (soft) timers.push(setTimeout(() => abort.abort(new SoftTimeLimitExceeded(soft)), soft))
  try {
    const value = await raceLimits(invoke(task, run, abort), run, hard, timers)
    return { kind: 'ack', result: toJson(value), runtimeMs: run.clock.now() - started }
  } catch (err) {
    // Past the hard limit the task code may still be running: tell it why it should stop.
    if (err instanceof TimeLimitExceeded) abort.abort(err)
    return decide(err, run, abort.reason, run.clock.now() - started)
  } finally {
    for (const t of timers) clearTimeout(t)
    run.interrupt.whenStopped(null)
    run.interrupt.whenKilled(null)
    abort.abort(EXECUTION_FINISHED)
  }
}

/**
 * ctx.signal, built only when the task reads it (most never do): the first abort's reason is
 * kept either way, and a signal built later starts aborted with it.
 */
class LazyAbort {
  reason: unknown = undefined
  private controller: AbortController | null = null

  abort(reason: unknown): void {
    if (this.reason !== undefined) return
    this.reason = reason
    this.controller?.abort(reason)
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
      if (this.reason !== undefined) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }
}

async function invoke(task: AnyTask, run: Execution, abort: LazyAbort): Promise<unknown> {
  const input = parseOrThrow(task.input, run.message.input, `task '${task.name}' input`)
  const ctx: TaskContext = {
    id: run.message.id,
    name: task.name,
    attempt: run.attempt,
    retries: run.retries,
    redelivered: run.redelivered,
    queue: run.message.queue,
    parentId: run.message.parentId,
    rootId: run.message.rootId,
    get signal() {
      return abort.signal
    },
    progress: run.progress,
    retry: retryThrower,
    enqueue: (target, input, options = {}) => enqueueChild(run, target, input, options),
    // Read on use: most tasks never log, and a child logger per task is measurable at 20k tasks/s.
    get log() {
      return run.log
    },
  }
  return task.run(input, ctx)
}

/** A task's own enqueue: the running task becomes the child's parent, and its root the child's root. */
function enqueueChild(run: Execution, ...[target, input, options]: Parameters<EnqueueFromTask>) {
  if (!run.enqueue) return Promise.reject(new CeleriacError('CONFIG', 'this runner cannot enqueue tasks'))
  const { id, rootId } = run.message
  return run.enqueue(target, input, { parentId: id, rootId: rootId ?? id, ...options })
}

class Killed extends Error {
  constructor(readonly reason: unknown) {
    super('killed')
  }
}

/** The task's own promise, the hard limit and a kill, settled by whichever comes first (one promise, no race). */
function raceLimits(
  work: Promise<unknown>,
  run: Execution,
  hard: number | undefined,
  timers: ReturnType<typeof setTimeout>[],
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // A loser may still settle later: a settled promise ignores it.
    work.then(resolve, reject)
    if (hard) timers.push(setTimeout(() => reject(new TimeLimitExceeded(hard)), hard))
    run.interrupt.whenKilled((reason) => reject(new Killed(reason)))
  })
}

/** `aborted`: why ctx.signal was aborted, if it was (a stop, a soft or hard limit). */
function decide(err: unknown, run: Execution, aborted: unknown, runtimeMs: number): ExecutionOutcome {
  if (err instanceof Killed) {
    return err.reason instanceof TaskRevokedError
      ? { kind: 'revoked', reason: err.reason.reason }
      : { kind: 'abandoned', reason: err.reason }
  }
  if (aborted instanceof TaskRevokedError) return { kind: 'revoked', reason: aborted.reason }
  if (aborted instanceof ShutdownSignal) return { kind: 'abandoned', reason: aborted }
  const error = toErrorInfo(err)
  if (err instanceof TimeLimitExceeded) return { kind: 'fail', error, reason: 'time_limit', runtimeMs }
  if (err instanceof ValidationError || err instanceof UnrecoverableError) {
    return { kind: 'fail', error, reason: 'unrecoverable', runtimeMs }
  }
  // A name this process knows only from config: dead-lettered as any task it has no code for.
  if (err instanceof UnknownTaskError) return { kind: 'fail', error, reason: 'unknown_task', runtimeMs: null }
  const policy = run.message.retry
  if (run.retries >= policy.max) return { kind: 'fail', error, reason: 'max_retries', runtimeMs }
  const countdown =
    err instanceof RetryError && err.countdown >= 0
      ? err.countdown
      : retryDelay(policy, run.retries + 1, run.random)
  return { kind: 'retry', at: run.clock.now() + countdown, error }
}
