import type { TaskResult } from '../core/result.ts'

/**
 * One Python task as its stored result (celery-task-meta, the authority on state and value) and
 * its events (name, arguments, worker and times, which the result does not keep) tell it together.
 * Either may be missing: an `ignore_result` task has no result, and events may be off.
 */
export function mergeSeenResult(stored: TaskResult | null, seen: TaskResult | null): TaskResult | null {
  if (stored === null || seen === null) return stored ?? seen
  return {
    ...seen,
    task: stored.task || seen.task,
    queue: stored.queue || seen.queue,
    state: stored.state,
    result: stored.result,
    error: stored.error,
    meta: stored.meta,
    worker: stored.worker ?? seen.worker,
    finishedAt: stored.finishedAt ?? seen.finishedAt,
  }
}
