import { z } from 'zod'
import { EnqueueOptions } from '../../core/build-message.ts'

const TaskName = z.string().min(1).max(200).meta({ example: 'debug.sleep' })

export const EnqueueItem = z
  .object({
    task: TaskName,
    input: z.unknown().optional().meta({ description: "the task's input, checked by its own schema" }),
    options: EnqueueOptions.optional(),
  })
  .strict()
  .meta({ id: 'EnqueueItem' })

export const EnqueueBatch = z
  .object({ tasks: z.array(EnqueueItem).min(1).max(1_000) })
  .strict()
  .meta({ id: 'EnqueueBatch' })

/** POST /api/v1/tasks: one envelope, or a batch stored atomically. */
export const EnqueueBody = z.union([EnqueueItem, EnqueueBatch]).meta({ id: 'EnqueueBody' })

export const Enqueued = z
  .object({
    task_id: z.string(),
    status: z.string().meta({ example: 'PENDING' }),
    status_url: z.string().meta({ example: '/api/v1/tasks/status/019a...' }),
    created: z
      .boolean()
      .meta({ description: 'false when an Idempotency-Key or a unique key matched an earlier task' }),
  })
  .meta({ id: 'Enqueued' })

export const EnqueuedBatch = z.object({ tasks: z.array(Enqueued) }).meta({ id: 'EnqueuedBatch' })

/** Headers that carry options for POST /api/v1/tasks/{name}, whose body is the bare input. */
export const OPTION_HEADERS = {
  countdown: 'celeriac-countdown',
  eta: 'celeriac-eta',
  priority: 'celeriac-priority',
  queue: 'celeriac-queue',
  expires: 'celeriac-expires',
  idempotencyKey: 'idempotency-key',
  concurrencyKey: 'celeriac-concurrency-key',
} as const

/** A unique task's key and hold, as headers: they make `options.unique` together. */
export const UNIQUE_HEADERS = { key: 'celeriac-unique-key', for: 'celeriac-unique-for' } as const

export const OptionHeaders = z.object({
  'Celeriac-Countdown': z.string().optional().meta({ description: 'delay in ms' }),
  'Celeriac-Eta': z.string().optional().meta({ description: 'earliest start: epoch ms or ISO 8601' }),
  'Celeriac-Priority': z.string().optional().meta({ description: '0-9, higher first' }),
  'Celeriac-Queue': z.string().optional(),
  'Celeriac-Expires': z.string().optional().meta({ description: 'time to live in ms' }),
  'Idempotency-Key': z.string().optional().meta({ description: 'same key: same task id, one execution' }),
  'Celeriac-Concurrency-Key': z.string().optional().meta({
    description: "fair sharing: the key this task counts under (the task's concurrency and keyRateLimit)",
  }),
  'Celeriac-Unique-Key': z.string().optional().meta({
    description: 'while a task of this name with this key is queued or running: its id, created false',
  }),
  'Celeriac-Unique-For': z
    .string()
    .optional()
    .meta({ description: 'ms the unique key holds after its enqueue' }),
})
