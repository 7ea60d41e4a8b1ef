import { z } from 'zod'
import { DURATION, parseDuration } from './duration.ts'
import { type EnqueueOptions, YEAR_MS } from './enqueue-options.ts'
import { RetryError, ValidationError } from './errors.ts'
import type { Json } from './json.ts'
import type { Logger } from './logger.ts'
import {
  DEFAULT_PRIORITY,
  DEFAULT_QUEUE,
  Priority,
  QueueName,
  RetryPolicy,
  type RetryPolicyInput,
  TaskName,
  TimeLimit,
} from './message.ts'
import { RateLimitText } from './rate-limit.ts'
import { parseOrThrow } from './validate.ts'

/** What a running task can see and do. */
export interface TaskContext {
  id: string
  name: string
  /** 1-based: the first execution is attempt 1. */
  attempt: number
  /** Retries already taken. */
  retries: number
  /** True when an earlier delivery was lost with its worker: make side effects idempotent. */
  redelivered: boolean
  queue: string
  /** The task that enqueued this one through ctx.enqueue (Celery's request.parent_id), if any. */
  parentId: string | null
  /** The first task of this family (Celery's request.root_id); null for a task enqueued from outside. */
  rootId: string | null
  /** Aborts on soft time limit, revoke and worker shutdown; `signal.reason` says which. */
  signal: AbortSignal
  /** Records state PROGRESS with this meta (visible in results, API and dashboard). */
  progress(meta: Json): Promise<void>
  /** Asks for a retry after `countdown` ms (default: the task's backoff policy). Never returns. */
  retry(options?: { countdown?: number; message?: string }): never
  /**
   * Enqueues another task (Celery's `.delay()` from inside a task), by name or definition, with
   * this task as its parent and root: how a task sends its emails and SMS through the built-in
   * tasks. Validated like any enqueue; `created` is false when an idempotency key matched.
   */
  enqueue(
    task: string | { readonly name: string },
    input: unknown,
    options?: EnqueueOptions,
  ): Promise<Enqueued>
  log: Logger
}

/** What ctx.enqueue answers: the new (or matched) task's id. */
export interface Enqueued {
  id: string
  created: boolean
}

/** How a runner lets its tasks enqueue: what ctx.enqueue calls, with parent and root already set. */
export type EnqueueFromTask = (
  task: string | { readonly name: string },
  input: unknown,
  options: EnqueueOptions,
) => Promise<Enqueued>

export { TaskName }

const TaskOptions = z.object({
  name: TaskName,
  queue: QueueName.default(DEFAULT_QUEUE),
  priority: Priority.default(DEFAULT_PRIORITY),
  retry: RetryPolicy.default({
    max: 0,
    backoff: 'exponential',
    delay: 1_000,
    maxDelay: 600_000,
    jitter: true,
  }),
  timeLimit: TimeLimit.default({}),
  /** Global rate limit across all workers, e.g. '100/s' (Celery's are per worker; ours are not). */
  rateLimit: RateLimitText.optional(),
  /** Default time-to-live of a queued message in ms: past it the task is REVOKED instead of run. */
  expires: z.number().int().positive().optional(),
  ignoreResult: z.boolean().default(false),
  /** How long this task's result is kept, in ms (Celery's result_expires, per task); unset: the broker's resultTtlMs. */
  resultExpires: z.number().int().positive().optional(),
  description: z.string().optional(),
  /**
   * Names for a Celery caller's positional args, in order: `add.delay(2, 3)` with
   * `celeryArgs: ['x', 'y']` runs with input `{ x: 2, y: 3 }`. Keyword args map by name without it.
   */
  celeryArgs: z.array(z.string().min(1)).optional(),
  /**
   * A unique task: `key` turns the input into a key; while a task with that key is queued or
   * running (or for `for` after its enqueue: ms or '10m'), enqueue answers that task's id.
   */
  unique: z
    .object({
      key: z.custom<(input: never) => string>(
        (v) => typeof v === 'function',
        'must be a function of the input',
      ),
      for: z
        .union([
          z.number().int().min(0).max(YEAR_MS),
          z.string().regex(DURATION, "a duration like '30s', '10m', '1h' or '1d'"),
        ])
        .transform(parseDuration)
        .optional(),
    })
    .strict()
    .optional(),
  /**
   * Fair sharing: the key a task's input belongs to (a tenant, a customer). With `concurrency`,
   * at most that many tasks of one key run at once across every worker, and keys take turns;
   * with `keyRateLimit`, each key has its own token bucket. Keys are scoped to the task.
   */
  concurrencyKey: z
    .custom<(input: never) => string>((v) => typeof v === 'function', 'must be a function of the input')
    .optional(),
  /** Most tasks running at once across all workers: per concurrencyKey, or for the task without one. */
  concurrency: z.number().int().min(1).max(100_000).optional(),
  /**
   * A rate limit for each concurrencyKey on its own, e.g. '100/m' (rateLimit stays the task's
   * total); calls without a key share one bucket.
   */
  keyRateLimit: RateLimitText.optional(),
})
export type TaskOptions = z.infer<typeof TaskOptions>

export interface TaskSpec<S extends z.ZodType, R> {
  name: string
  input: S
  run: (input: z.infer<S>, ctx: TaskContext) => Promise<R> | R
  queue?: string
  priority?: number
  retry?: RetryPolicyInput
  timeLimit?: { soft?: number; hard?: number }
  expires?: number
  rateLimit?: string
  ignoreResult?: boolean
  resultExpires?: number
  description?: string
  celeryArgs?: string[]
  unique?: { key: (input: z.infer<S>) => string; for?: number | string }
  concurrencyKey?: (input: z.infer<S>) => string
  concurrency?: number
  keyRateLimit?: string
}

/** A task as the registry, worker and producers see it: validated options plus its code. */
export interface TaskDefinition<S extends z.ZodType = z.ZodType, R = unknown> {
  readonly name: string
  readonly input: S
  readonly options: Readonly<TaskOptions>
  readonly run: (input: z.infer<S>, ctx: TaskContext) => Promise<R> | R
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tasks of every input and result type
export type AnyTask = TaskDefinition<any, any>

/**
 * Marks what defineTask returns, so a user's module can be scanned for its tasks. A registered
 * symbol, so it holds even when the module was given a different copy of this library.
 */
const TASK_MARK = Symbol.for('celeriac.task')

/** Declares a task. Pure: registers nothing; add it to a registry (src/tasks/index.ts) or an app. */
export function defineTask<S extends z.ZodType, R>(spec: TaskSpec<S, R>): TaskDefinition<S, R> {
  const { input, run, ...rest } = spec
  const options = parseOrThrow(TaskOptions, rest, `task '${String(spec.name)}'`)
  if (!(input instanceof z.ZodType)) {
    throw new ValidationError(`task '${options.name}'`, [{ path: 'input', message: 'must be a zod schema' }])
  }
  if (
    options.concurrencyKey !== undefined &&
    options.concurrency === undefined &&
    options.keyRateLimit === undefined
  ) {
    throw new ValidationError(`task '${options.name}'`, [
      { path: 'concurrencyKey', message: 'needs concurrency or keyRateLimit to act on' },
    ])
  }
  if (typeof run !== 'function') {
    throw new ValidationError(`task '${options.name}'`, [{ path: 'run', message: 'must be a function' }])
  }
  const task = { name: options.name, input, options: Object.freeze(options), run }
  Object.defineProperty(task, TASK_MARK, { value: true })
  return Object.freeze(task)
}

/** True for a value defineTask returned (what `-A` modules export). */
export function isTaskDefinition(value: unknown): value is AnyTask {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TASK_MARK] === true
}

/** Builds the `ctx.retry` of a context: it throws, so a task's `return ctx.retry()` reads naturally. */
export function retryThrower(options?: { countdown?: number; message?: string }): never {
  throw new RetryError(options?.message ?? 'retry requested', options?.countdown ?? -1)
}
