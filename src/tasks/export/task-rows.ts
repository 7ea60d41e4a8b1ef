import type { BrokerAdmin, TaskQuery } from '../../brokers/broker.ts'
import { UnrecoverableError } from '../../core/errors.ts'
import type { TaskResult } from '../../core/result.ts'
import type { ExportFilters } from './export-filter.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** The columns of the built-in `tasks` source, as exported. */
export const TASK_FIELDS: Record<string, (t: TaskResult) => unknown> = {
  id: (t) => t.id,
  name: (t) => t.task,
  state: (t) => t.state,
  queue: (t) => t.queue,
  attempts: (t) => t.attempts,
  retries: (t) => t.retries,
  worker: (t) => t.worker,
  dead_reason: (t) => t.deadReason,
  error_type: (t) => t.error?.type ?? null,
  error_message: (t) => t.error?.message ?? null,
  created_at: (t) => iso(t.createdAt),
  started_at: (t) => iso(t.startedAt),
  finished_at: (t) => iso(t.finishedAt),
  runtime_ms: (t) => t.runtimeMs,
  input: (t) => JSON.stringify(t.input),
  result: (t) => (t.result === null ? null : JSON.stringify(t.result)),
}

/** Filters the broker can apply to task history: equality on state/name/queue, a created_at range. */
export function taskQuery(filters: ExportFilters): TaskQuery {
  const query: TaskQuery = {}
  for (const [field, filter] of Object.entries(filters)) {
    if (['state', 'name', 'queue'].includes(field) && typeof filter === 'string') {
      Object.assign(query, { [field]: filter })
    } else if (field === 'created_at' && filter !== null && typeof filter === 'object' && !('in' in filter)) {
      const from = filter.gte ?? filter.gt
      const to = filter.lte ?? filter.lt
      if (from !== undefined) query.since = new Date(from).getTime()
      if (to !== undefined) query.until = new Date(to).getTime()
    } else {
      throw new UnrecoverableError(
        `export.csv: filters.${field}: the tasks source filters on state, name, queue (a value) and created_at (a range)`,
      )
    }
  }
  return query
}

/** Streams task history, newest first, a page at a time through BrokerAdmin.listTasks. */
export async function* taskRows(
  admin: BrokerAdmin,
  query: TaskQuery,
  fields: readonly string[],
  chunkSize: number,
): AsyncGenerator<unknown[][]> {
  const columns = fields.map((f) => TASK_FIELDS[f] as (t: TaskResult) => unknown)
  let cursor: string | undefined
  do {
    const page = await admin.listTasks({ ...query, limit: chunkSize, ...(cursor ? { cursor } : {}) })
    if (page.tasks.length > 0) yield page.tasks.map((task) => columns.map((col) => col(task)))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
}
