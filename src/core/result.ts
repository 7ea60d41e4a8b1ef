import { z } from 'zod'
import { TaskState } from './states.ts'

export const TaskErrorInfo = z.object({
  /** The error's class name: 'Error', 'ValidationError', 'TimeLimitExceeded', ... */
  type: z.string(),
  message: z.string(),
  stack: z.string().nullable(),
  /** Machine code where the error has one ('LEASE_LOST', 'worker_lost', ...). */
  code: z.string().nullable().optional(),
})
export type TaskErrorInfo = z.infer<typeof TaskErrorInfo>

export const DeadReason = z.enum([
  'max_retries',
  'unrecoverable',
  'worker_lost',
  'time_limit',
  'unknown_task',
  /** Message signing is on and the message is unsigned, signed by an unknown key, or altered. */
  'bad_signature',
  /** An encrypted input no configured key opens, or one that was altered. */
  'undecryptable',
])
export type DeadReason = z.infer<typeof DeadReason>

/** What a result backend holds for one task: the shape `result`, the API and the dashboard read. */
export const TaskResult = z.object({
  id: z.string(),
  task: z.string(),
  state: TaskState,
  queue: z.string(),
  input: z.unknown(),
  result: z.unknown().nullable(),
  error: TaskErrorInfo.nullable(),
  /** Progress meta from ctx.progress(), kept after the task ends. */
  meta: z.unknown().nullable(),
  /** Executions started, including the current one. */
  attempts: z.number().int(),
  retries: z.number().int(),
  worker: z.string().nullable(),
  deadReason: DeadReason.nullable(),
  createdAt: z.number().int(),
  eta: z.number().int().nullable(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  runtimeMs: z.number().nullable(),
  expiresAt: z.number().int().nullable(),
})
export type TaskResult = z.infer<typeof TaskResult>
