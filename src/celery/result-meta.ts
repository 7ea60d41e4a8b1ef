import type { Json } from '../core/json.ts'
import { celeryDateDone } from './celery-time.ts'

export type CeleryState = 'PENDING' | 'STARTED' | 'PROGRESS' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED'

/** States after which Celery fills date_done (its READY_STATES). */
const READY = new Set<CeleryState>(['SUCCESS', 'FAILURE', 'REVOKED'])

/** The key Celery's Redis backend keeps a task's meta under (and publishes it on). */
export function celeryMetaKey(id: string): string {
  return `celery-task-meta-${id}`
}

export interface ResultMetaInput {
  id: string
  status: CeleryState
  /** The return value, the exception dict of a failure, or a PROGRESS/STARTED meta. */
  result: Json | object | null
  traceback?: string | null
  parentId?: string | null
  group?: string | null
  now: number
}

/** The JSON `AsyncResult` reads: Celery 5.2's `_get_result_meta` plus `task_id`, in its key order. */
export function encodeResultMeta(m: ResultMetaInput): string {
  const meta: Record<string, unknown> = {
    status: m.status,
    result: m.result,
    traceback: m.traceback ?? null,
    children: [],
    date_done: READY.has(m.status) ? celeryDateDone(m.now) : null,
  }
  if (m.group) meta.group_id = m.group
  if (m.parentId) meta.parent_id = m.parentId
  meta.task_id = m.id
  return JSON.stringify(meta)
}
