import { z } from 'zod'
import type { TaskErrorInfo, TaskResult } from '../core/result.ts'
import { TaskState } from '../core/states.ts'

/** What Celery's Redis backend stores under celery-task-meta-<id>; extended fields when result_extended is on. */
const StoredMeta = z.looseObject({
  status: z.string(),
  result: z.unknown().optional(),
  traceback: z.string().nullable().optional(),
  date_done: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  queue: z.string().nullable().optional(),
  retries: z.number().int().nullable().optional(),
  worker: z.string().nullable().optional(),
})

const FAILED = new Set(['FAILURE', 'REVOKED', 'RETRY'])

/**
 * A Celery result as our TaskResult, so `result`, the API and the client read a Python worker's
 * outcome like one of ours. A failure's exception becomes the error (type = Python class name,
 * module in `code`); a custom state Python set with `update_state` reads as PROGRESS with its meta.
 * Fields Celery does not store (input, attempts, times but date_done) are empty.
 */
export function readResultMeta(id: string, raw: string): TaskResult {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new Error(`celery-task-meta-${id}: not JSON`)
  }
  const meta = StoredMeta.parse(json)
  const known = TaskState.safeParse(meta.status)
  const state = known.success ? known.data : 'PROGRESS'
  const value = meta.result ?? null
  const done = meta.date_done ? parseDateDone(meta.date_done) : null
  const error = FAILED.has(state) ? errorOf(value, meta.traceback ?? null) : null
  return {
    id,
    task: meta.name ?? '',
    state,
    queue: meta.queue ?? '',
    input: null,
    result: state === 'SUCCESS' ? value : null,
    error,
    meta: state === 'SUCCESS' || error ? null : value,
    attempts: (meta.retries ?? 0) + 1,
    retries: meta.retries ?? 0,
    worker: meta.worker ?? null,
    deadReason: null,
    createdAt: done ?? 0,
    eta: null,
    startedAt: null,
    finishedAt: done,
    runtimeMs: null,
    expiresAt: null,
  }
}

/** Celery's JSON form of an exception: `{exc_type, exc_message: [args...], exc_module}`. */
function errorOf(value: unknown, traceback: string | null): TaskErrorInfo {
  const exc = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const type = typeof exc.exc_type === 'string' ? exc.exc_type : 'Exception'
  const args = exc.exc_message
  const message = Array.isArray(args)
    ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(', ')
    : typeof args === 'string'
      ? args
      : JSON.stringify(value)
  const module = typeof exc.exc_module === 'string' ? exc.exc_module : null
  return { type, message, stack: traceback, code: module }
}

/** date_done is `datetime.isoformat()`, UTC, usually without an offset. */
function parseDateDone(text: string): number | null {
  const hasOffset = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text)
  const ms = Date.parse(hasOffset ? text : `${text}Z`)
  return Number.isNaN(ms) ? null : ms
}
