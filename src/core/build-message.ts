import type { Clock } from './clock.ts'
import { EnqueueOptions, YEAR_MS } from './enqueue-options.ts'
import { ValidationError } from './errors.ts'
import { newTaskId } from './ids.ts'
import { PROTOCOL_VERSION, type TaskMessage } from './message.ts'
import type { AnyTask } from './task.ts'
import { parseOrThrow } from './validate.ts'

export { EnqueueOptions } from './enqueue-options.ts'

function etaMs(eta: number | string | Date): number {
  return typeof eta === 'number' ? eta : new Date(eta).getTime()
}

/** Validates input and options against a task and builds the message a broker stores. */
export function buildMessage(
  task: AnyTask,
  input: unknown,
  options: EnqueueOptions,
  clock: Clock,
): TaskMessage {
  const parsedInput = parseOrThrow(task.input, input, `task '${task.name}' input`)
  const opts = parseOrThrow(EnqueueOptions, options, `task '${task.name}' options`)
  const now = clock.now()
  let eta: number | null = null
  if (opts.countdown !== undefined && opts.countdown > 0) eta = now + opts.countdown
  if (opts.eta !== undefined) {
    const at = etaMs(opts.eta)
    if (at > now + YEAR_MS) {
      throw new ValidationError(`task '${task.name}' options`, [
        { path: 'eta', message: 'more than a year ahead' },
      ])
    }
    eta = at > now ? at : null
  }
  const ttl = opts.expires ?? task.options.expires
  return {
    v: PROTOCOL_VERSION,
    id: opts.id ?? newTaskId(),
    task: task.name,
    input: parsedInput,
    queue: opts.queue ?? task.options.queue,
    priority: opts.priority ?? task.options.priority,
    eta,
    // Counted from the send, as Celery does: a countdown longer than expires means it never runs.
    expires: ttl === undefined ? null : now + ttl,
    retry: task.options.retry,
    timeLimit: task.options.timeLimit,
    ignoreResult: task.options.ignoreResult,
    resultExpires: task.options.resultExpires ?? null,
    idempotencyKey: opts.idempotencyKey ?? null,
    parentId: opts.parentId ?? null,
    rootId: opts.rootId ?? opts.parentId ?? null,
    headers: opts.headers ?? {},
    createdAt: now,
  }
}
