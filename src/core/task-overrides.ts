import { z } from 'zod'
import { Priority, QueueName, RetryPolicyPatch, TimeLimit } from './message.ts'
import { RateLimitText } from './rate-limit.ts'
import { type AnyTask, defineTask, type TaskSpec } from './task.ts'

/**
 * What config may change on a task it did not define (Celery's `task_annotations`): any of these
 * replaces the task's own setting; a retry policy merges field by field.
 */
export const TaskOverride = z.strictObject({
  queue: QueueName.optional(),
  priority: Priority.optional(),
  retry: RetryPolicyPatch.optional(),
  timeLimit: TimeLimit.optional(),
  rateLimit: RateLimitText.optional(),
  expires: z.number().int().positive().optional(),
  ignoreResult: z.boolean().optional(),
  resultExpires: z.number().int().positive().optional(),
  /** Fair sharing for a task config did not define: a cap per per-call concurrencyKey, or for the whole task. */
  concurrency: z.number().int().min(1).max(100_000).optional(),
  keyRateLimit: RateLimitText.optional(),
})
export type TaskOverride = z.infer<typeof TaskOverride>

/** A task name pattern as Celery writes them: `*` matches any run of characters (`email.*`). */
export const TaskPattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:*-]+$/, "a task name, or a pattern with * (as in 'email.*')")

export function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.]/g, '\\.'))
    .join('.*')
  return new RegExp(`^${body}$`).test(name)
}

/**
 * The task with an override applied: a new definition, checked as defineTask checks one. Every
 * option the override does not name is kept as the task set it (celeryArgs, unique, fairness, description).
 */
export function overrideTask(task: AnyTask, override: TaskOverride): AnyTask {
  const o = task.options
  return defineTask({
    ...o,
    // The key function was checked when the task was defined; its input type is the task's own.
    unique: o.unique as TaskSpec<z.ZodType, unknown>['unique'],
    concurrencyKey: o.concurrencyKey as TaskSpec<z.ZodType, unknown>['concurrencyKey'],
    input: task.input,
    run: task.run,
    queue: override.queue ?? o.queue,
    priority: override.priority ?? o.priority,
    retry: { ...o.retry, ...override.retry },
    timeLimit: override.timeLimit ?? o.timeLimit,
    rateLimit: override.rateLimit ?? o.rateLimit,
    expires: override.expires ?? o.expires,
    ignoreResult: override.ignoreResult ?? o.ignoreResult,
    resultExpires: override.resultExpires ?? o.resultExpires,
    concurrency: override.concurrency ?? o.concurrency,
    keyRateLimit: override.keyRateLimit ?? o.keyRateLimit,
  })
}
