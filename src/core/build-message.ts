import { z } from 'zod'
import type { Clock } from './clock.ts'
import { ValidationError } from './errors.ts'
import { newTaskId } from './ids.ts'
import { PROTOCOL_VERSION, Priority, QueueName, type TaskMessage } from './message.ts'
import type { AnyTask } from './task.ts'
import { parseOrThrow } from './validate.ts'

const YEAR_MS = 365 * 24 * 3600 * 1000

/** Per-call options of an enqueue, validated at every edge (library, CLI, API). */
export const EnqueueOptions = z
  .object({
    /** Delay before the task may start, in ms. */
    countdown: z.number().int().min(0).max(YEAR_MS).optional(),
    /** Earliest start: epoch ms, ISO string or Date. A past ETA means "now". */
    eta: z.union([z.number().int(), z.iso.datetime({ offset: true }), z.date()]).optional(),
    priority: Priority.optional(),
    queue: QueueName.optional(),
    /** Time-to-live in ms from now: past it the task is REVOKED instead of run. */
    expires: z.number().int().positive().optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    parentId: z.string().optional(),
    rootId: z.string().optional(),
    /** Caller-chosen id (e.g. to retry a request safely); a fresh UUIDv7 otherwise. */
    id: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((o) => o.countdown === undefined || o.eta === undefined, {
    message: 'give countdown or eta, not both',
    path: ['eta'],
  })
export type EnqueueOptions = z.input<typeof EnqueueOptions>

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
