import { buildMessage, type EnqueueOptions } from '../../core/build-message.ts'
import { ValidationError } from '../../core/errors.ts'
import type { ApiDeps } from '../api-deps.ts'
import { unknownTaskError } from '../unknown-task-error.ts'
import { checkHorizon } from './check-horizon.ts'

export interface EnqueueItem {
  task: string
  input: unknown
  options?: Record<string, unknown>
}

export interface EnqueuedTask {
  task_id: string
  status: 'PENDING'
  status_url: string
  created: boolean
}

/** Which item of a batch failed validation, with its paths prefixed (`tasks.3.input.ms`). */
function locate(deps: ApiDeps, items: EnqueueItem[]): ValidationError | null {
  for (const [i, item] of items.entries()) {
    try {
      buildMessage(
        deps.registry.require(item.task),
        item.input,
        (item.options ?? {}) as EnqueueOptions,
        deps.clock,
      )
    } catch (err) {
      if (!(err instanceof ValidationError)) return null
      const part = err.subject.endsWith('options') ? 'options' : 'input'
      const issues = err.issues.map((issue) => ({
        path: [`tasks.${i}.${part}`, issue.path].filter(Boolean).join('.'),
        message: issue.message,
      }))
      return new ValidationError(`tasks[${i}] (${item.task})`, issues)
    }
  }
  return null
}

/**
 * Validates (through the Client: each task's own schema, the shared options schema) and stores
 * every item in one atomic batch. An unknown task is a 404 before anything is stored.
 */
export async function enqueueItems(
  deps: ApiDeps,
  items: EnqueueItem[],
  batch: boolean,
): Promise<EnqueuedTask[]> {
  const now = deps.clock.now()
  for (const item of items) {
    if (!deps.registry.get(item.task)) throw unknownTaskError(item.task, deps.registry.names())
    checkHorizon(item.task, item.options, now, deps.settings.etaHorizonMs)
  }
  try {
    const handles = await deps.client.enqueueMany(
      items.map((i) => ({ task: i.task, input: i.input, options: (i.options ?? {}) as EnqueueOptions })),
    )
    return handles.map((h) => ({
      task_id: h.id,
      status: 'PENDING',
      status_url: `/api/v1/tasks/status/${encodeURIComponent(h.id)}`,
      created: h.created,
    }))
  } catch (err) {
    if (batch && err instanceof ValidationError) throw locate(deps, items) ?? err
    throw err
  }
}
