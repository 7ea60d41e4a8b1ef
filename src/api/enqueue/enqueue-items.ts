import type { EnqueueOptions } from '../../core/build-message.ts'
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

/**
 * Validates (through the Client: each task's own schema, the shared options schema) and stores
 * every item in one atomic batch; in a batch, a bad item is named by its index (`tasks.3.input.ms`).
 * An unknown task is a 404 before anything is stored.
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
  const handles = await deps.client.enqueueMany(
    items.map((i) => ({ task: i.task, input: i.input, options: (i.options ?? {}) as EnqueueOptions })),
    { numbered: batch },
  )
  return handles.map((h) => ({
    task_id: h.id,
    status: 'PENDING',
    status_url: `/api/v1/tasks/status/${encodeURIComponent(h.id)}`,
    created: h.created,
  }))
}
