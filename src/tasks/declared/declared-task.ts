import { z } from 'zod'
import { inputSchemaOf, type TaskTableEntry } from '../../config/task-table.ts'
import { UnknownTaskError, UnrecoverableError } from '../../core/errors.ts'
import type { Json } from '../../core/json.ts'
import { type AnyTask, defineTask, type TaskContext } from '../../core/task.ts'
import { HTTP_RETRY } from '../http/http-request-task.ts'
import { performHttpRequest } from '../http/perform-http-request.ts'
import type { TaskServices } from '../task-services.ts'

/** Without a JSON Schema, a declared task takes any JSON object (Celery's kwargs). */
const ANY_OBJECT = z.record(z.string(), z.json())

/**
 * A task from the config's `tasks` table. With a `url`, running it calls the app that holds its
 * code; without one, this process only knows its name, queue and input (an api or beat routing
 * it to workers that have the code), and a worker given it anyway fails it as an unknown task,
 * as it would any task it has no code for.
 */
export function createDeclaredTask(entry: TaskTableEntry, services: TaskServices): AnyTask {
  const url = entry.url
  return defineTask({
    name: entry.name,
    description: entry.description ?? (url ? `HTTP task: ${entry.method} ${url}` : 'declared in config'),
    queue: entry.queue,
    priority: entry.priority,
    retry: url ? { ...HTTP_RETRY, ...entry.retry } : entry.retry,
    timeLimit: entry.timeLimit,
    input: entry.input ? inputSchemaOf(entry.input) : ANY_OBJECT,
    run: url
      ? (input: unknown, ctx: TaskContext) => callApp(entry, url, input, ctx, services)
      : () => {
          throw new UnknownTaskError(
            entry.name,
            [],
            'declared in config, but this process has no code for it',
          )
        },
  })
}

/**
 * One call of an HTTP task: its 2xx JSON body is the result; 429, 5xx and timeouts retry with the
 * task's policy (a Retry-After is honoured); any other 4xx fails at once.
 */
async function callApp(
  entry: TaskTableEntry,
  url: string,
  input: unknown,
  ctx: TaskContext,
  services: TaskServices,
): Promise<Json> {
  const outcome = await performHttpRequest(
    {
      url,
      method: entry.method,
      headers: { Accept: 'application/json' },
      body: { id: ctx.id, task: ctx.name, attempt: ctx.attempt, input: input as Json },
      timeout: entry.timeout,
      sign: entry.sign,
    },
    services,
    ctx.signal,
  )
  if (outcome.truncated) {
    throw new UnrecoverableError(
      `${entry.name}: the app answered more than 64 KiB; store large results elsewhere`,
    )
  }
  if (outcome.body.trim() === '') return null
  try {
    return JSON.parse(outcome.body) as Json
  } catch {
    throw new UnrecoverableError(
      `${entry.name}: the app answered ${outcome.status} with a body that is not JSON`,
    )
  }
}
