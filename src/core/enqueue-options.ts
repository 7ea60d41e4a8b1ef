import { z } from 'zod'
import { Priority, QueueName } from './message.ts'

export const YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * A unique task (celery-once's job): while a task of the same name with this key is queued or
 * running, or for `for` ms after it was enqueued, another enqueue answers its id with
 * created=false. Unlike an idempotency key, a finished task frees its key (past `for`).
 */
export const UniqueOption = z
  .object({
    key: z.string().min(1).max(200),
    for: z.number().int().min(0).max(YEAR_MS).optional(),
  })
  .strict()

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
    /** Per-call unique key (wins over the task's own `unique` rule). */
    unique: UniqueOption.optional(),
    /** Per-call fairness key (wins over the task's concurrencyKey function). */
    concurrencyKey: z.string().min(1).max(200).optional(),
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
