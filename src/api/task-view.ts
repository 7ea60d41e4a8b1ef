import type { BrokerEvent } from '../brokers/broker.ts'
import type { TaskResult } from '../core/result.ts'
import { isTerminal } from '../core/states.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** A stored task as the API shows it: snake_case, times as ISO 8601 strings. */
export function taskView(t: TaskResult) {
  return {
    task_id: t.id,
    task: t.task,
    state: t.state,
    queue: t.queue,
    input: t.input,
    result: t.result,
    error: t.error,
    meta: t.meta,
    attempts: t.attempts,
    retries: t.retries,
    worker: t.worker,
    dead_reason: t.deadReason,
    created_at: iso(t.createdAt),
    eta: iso(t.eta),
    started_at: iso(t.startedAt),
    finished_at: iso(t.finishedAt),
    runtime_ms: t.runtimeMs,
    expires_at: iso(t.expiresAt),
  }
}

export function eventView(e: BrokerEvent) {
  return {
    seq: e.seq,
    type: e.type,
    at: iso(e.at),
    task_id: e.taskId,
    task: e.task,
    queue: e.queue,
    data: e.data,
  }
}

/**
 * The shape Celery setups' status endpoints return. `result` is the value on SUCCESS, the error
 * (type and message, no stack) on FAILURE or REVOKED, the progress meta while running. An unknown
 * id is PENDING, as Celery's AsyncResult reports it.
 */
export function statusView(id: string, t: TaskResult | null) {
  const state = t?.state ?? 'PENDING'
  let result: unknown = null
  if (t?.state === 'SUCCESS') result = t.result
  else if (t?.error && isTerminal(t.state)) result = { type: t.error.type, message: t.error.message }
  else if (t?.meta != null) result = t.meta
  return { task_id: id, status: state, ready: isTerminal(state), successful: state === 'SUCCESS', result }
}
