import { z } from 'zod'
import type { WorkflowContinuation } from './workflow-plan.ts'

/** Bumped on an incompatible change; a worker leaves messages of a newer major version queued. */
export const PROTOCOL_VERSION = 1

/** A retry policy's fields and their bounds, without defaults: what an override may change. */
const RetryFields = z.object({
  /** Retries after the first attempt; 0 disables retrying. */
  max: z.number().int().min(0).max(1000),
  backoff: z.enum(['fixed', 'exponential']),
  /** First retry delay in ms; exponential doubles it each retry. */
  delay: z.number().int().min(0),
  /** Cap on any one delay, in ms. */
  maxDelay: z.number().int().min(0),
  /** Full jitter: a uniform delay in [0, computed]. */
  jitter: z.boolean(),
})

/** Some fields of a retry policy, merged over a task's own (config overrides, HTTP tasks). */
export const RetryPolicyPatch = RetryFields.partial()
export type RetryPolicyPatch = z.infer<typeof RetryPolicyPatch>

export const RetryPolicy = z.object({
  max: RetryFields.shape.max.default(0),
  backoff: RetryFields.shape.backoff.default('exponential'),
  delay: RetryFields.shape.delay.default(1_000),
  maxDelay: RetryFields.shape.maxDelay.default(600_000),
  jitter: RetryFields.shape.jitter.default(true),
})
export type RetryPolicy = z.infer<typeof RetryPolicy>
export type RetryPolicyInput = z.input<typeof RetryPolicy>

export const TimeLimit = z.object({
  soft: z.number().int().positive().optional(),
  hard: z.number().int().positive().optional(),
})
export type TimeLimit = z.infer<typeof TimeLimit>

export const Priority = z.number().int().min(0).max(9)
export const DEFAULT_PRIORITY = 5
export const DEFAULT_QUEUE = 'default'
export const TaskName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')

export const QueueName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')

/**
 * The envelope every engine stores and hands back. Unknown fields are ignored (not stripped on
 * store) so an older worker can read a newer producer's message.
 */
export const TaskMessage = z.looseObject({
  v: z.number().int().positive(),
  id: z.string().min(1),
  task: z.string().min(1),
  input: z.unknown(),
  queue: QueueName,
  priority: Priority,
  /** Epoch ms before which the task must not start (countdown / ETA). */
  eta: z.number().int().nullable(),
  /** Epoch ms after which the task is revoked instead of run. */
  expires: z.number().int().nullable(),
  retry: RetryPolicy,
  timeLimit: TimeLimit,
  ignoreResult: z.boolean(),
  /** Ms a SUCCESS result is kept, when the task sets its own; absent or null: the broker's default. */
  resultExpires: z.number().int().positive().nullable().optional(),
  idempotencyKey: z.string().min(1).max(200).nullable(),
  /** A unique task's key, and until when (epoch ms) it holds even after the task ended; absent: not unique. */
  unique: z
    .object({ key: z.string().min(1).max(200), until: z.number().int() })
    .nullable()
    .optional(),
  /**
   * A fairly shared task's key (null: the task as a whole) and the most of that key running at
   * once (null: no cap, only a per-key rate limit); absent: not shared.
   */
  group: z
    .object({ key: z.string().min(1).max(200).nullable(), limit: z.number().int().positive().nullable() })
    .nullable()
    .optional(),
  parentId: z.string().nullable(),
  rootId: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  createdAt: z.number().int(),
  /** For a workflow member: what follows it (see core/workflow.ts); written by the workflow runner. */
  workflow: z.custom<WorkflowContinuation>((v) => typeof v === 'object' && v !== null).optional(),
  /** `<key id>.<HMAC-SHA256 hex>` of the rest of the message, when message signing is on. */
  sig: z.string().max(200).optional(),
})
export type TaskMessage = z.infer<typeof TaskMessage>

/** The gate a fairly shared task's slots are counted in: scoped to its task, as unique keys are. */
export function gateOf(task: string, key: string | null): string {
  return `${task}|${key ?? ''}`
}
