import type { DeadReason, TaskErrorInfo, TaskResult } from '../../core/result.ts'
import type { TaskState } from '../../core/states.ts'

/** The columns a TaskResult is read from; select them with TASK_COLUMNS. */
export interface TaskRow {
  seq: number
  id: string
  task: string
  queue: string
  message: string
  state: TaskState
  attempts: number
  retries: number
  worker: string | null
  result: string | null
  error: string | null
  meta: string | null
  dead_reason: DeadReason | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  runtime_ms: number | null
  result_expires_at: number | null
}

export const TASK_COLUMNS = `seq, id, task, queue, message, state, attempts, retries, worker, result, error, meta,
  dead_reason, created_at, started_at, finished_at, runtime_ms, result_expires_at`

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

export function toTaskResult(row: TaskRow): TaskResult {
  const message = JSON.parse(row.message) as { input?: unknown; eta?: number | null }
  return {
    id: row.id,
    task: row.task,
    state: row.state,
    queue: row.queue,
    input: message.input ?? null,
    result: parse(row.result),
    error: parse(row.error) as TaskErrorInfo | null,
    meta: parse(row.meta),
    attempts: row.attempts,
    retries: row.retries,
    worker: row.worker,
    deadReason: row.dead_reason,
    createdAt: row.created_at,
    eta: message.eta ?? null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runtimeMs: row.runtime_ms,
    expiresAt: row.result_expires_at,
  }
}
