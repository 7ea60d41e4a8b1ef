import type { z } from 'zod'
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
  const unique = uniqueOf(task, parsedInput, opts, now)
  const group = groupOf(task, parsedInput, opts)
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
    ...(unique ? { unique } : {}),
    ...(group ? { group } : {}),
    parentId: opts.parentId ?? null,
    rootId: opts.rootId ?? opts.parentId ?? null,
    headers: opts.headers ?? {},
    createdAt: now,
  }
}

/** Runs a task's key function on the validated input; its answer must be a usable key. */
function keyFrom(task: AnyTask, fn: (input: never) => unknown, input: unknown, field: string): string {
  const where = `task '${task.name}' ${field}`
  let key: unknown
  try {
    key = fn(input as never)
  } catch (err) {
    throw new ValidationError(where, [{ path: field, message: `threw: ${String(err)}` }])
  }
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new ValidationError(where, [
      { path: field, message: 'must return a string of 1 to 200 characters' },
    ])
  }
  return key
}

/** The fairness group: the call's key, else the task's key function's; null when the task shares nothing. */
function groupOf(task: AnyTask, input: unknown, opts: z.output<typeof EnqueueOptions>): TaskMessage['group'] {
  const { concurrencyKey, concurrency, keyRateLimit } = task.options
  if (concurrency === undefined && keyRateLimit === undefined) {
    if (opts.concurrencyKey === undefined) return null
    throw new ValidationError(`task '${task.name}' options`, [
      { path: 'concurrencyKey', message: 'the task sets neither concurrency nor keyRateLimit' },
    ])
  }
  const key =
    opts.concurrencyKey ?? (concurrencyKey ? keyFrom(task, concurrencyKey, input, 'concurrencyKey') : null)
  return { key, limit: concurrency ?? null }
}

/** The call's own unique key, else the task's rule applied to the validated input; null: not unique. */
function uniqueOf(
  task: AnyTask,
  input: unknown,
  opts: z.output<typeof EnqueueOptions>,
  now: number,
): TaskMessage['unique'] {
  if (opts.unique) return { key: opts.unique.key, until: now + (opts.unique.for ?? 0) }
  const rule = task.options.unique
  if (!rule) return null
  return { key: keyFrom(task, rule.key, input, 'unique.key'), until: now + (rule.for ?? 0) }
}
