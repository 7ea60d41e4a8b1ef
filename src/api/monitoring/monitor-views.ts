import type { QueueStats, WorkerStatus } from '../../brokers/broker.ts'
import type { TaskResult } from '../../core/result.ts'
import type { StatusView } from '../schemas/system.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Status with the success rate in percent, as those dashboards show it (one decimal). */
export function monitorStatus(status: StatusView) {
  const rate = status.success_rate === null ? 100 : Math.round(status.success_rate * 1000) / 10
  const { unconsumed_queues: _, ...rest } = status
  return { ...rest, success_rate: rate }
}

/** `celery inspect active` and `inspect stats` in one answer, keyed by worker name. */
export function monitorWorkers(workers: readonly WorkerStatus[], now: number) {
  const online = workers.filter((w) => w.online)
  const details = Object.fromEntries(
    online.map((w) => [
      w.name,
      w.active.map((a) => ({
        id: a.id,
        name: a.task,
        time_start: a.startedAt / 1000,
        hostname: w.name,
        worker_pid: w.pid,
      })),
    ]),
  )
  const stats = Object.fromEntries(
    online.map((w) => [
      w.name,
      {
        total: w.processed,
        pool: { 'max-concurrency': w.concurrency, processes: [w.pid] },
        pid: w.pid,
        uptime: Math.max(0, Math.floor((now - w.startedAt) / 1000)),
        status: w.status,
        queues: w.queues,
        succeeded: w.succeeded,
        failed: w.failed,
        retried: w.retried,
        rss_bytes: w.rssBytes,
        last_heartbeat: iso(w.lastHeartbeat),
      },
    ]),
  )
  return { workers: { count: online.length, details }, stats, timestamp: iso(now) as string }
}

/** Every queue the broker holds tasks for or an online worker consumes, with its consumers. */
export function monitorQueues(queues: readonly QueueStats[], workers: readonly WorkerStatus[], now: number) {
  const online = workers.filter((w) => w.online)
  const names = new Set([...queues.map((q) => q.queue), ...online.flatMap((w) => w.queues)])
  const byName = new Map(queues.map((q) => [q.queue, q]))
  const view = Object.fromEntries(
    [...names].sort().map((name) => {
      const q = byName.get(name)
      const consumers = online.filter((w) => w.queues.includes(name)).map((w) => w.name)
      return [
        name,
        {
          name,
          workers: consumers,
          count: consumers.length,
          waiting: q?.waiting ?? 0,
          delayed: q?.delayed ?? 0,
          active: q?.active ?? 0,
          dead: q?.dead ?? 0,
          oldest_age_seconds: q?.oldestAgeMs == null ? null : q.oldestAgeMs / 1000,
        },
      ]
    }),
  )
  return { queues: view, total_queues: names.size, timestamp: iso(now) as string }
}

/** One row of the recent-tasks list: Celery's state in lowercase, the run time in seconds. */
export function monitorTaskRow(t: TaskResult) {
  return {
    task_id: t.id,
    name: t.task,
    status: t.state.toLowerCase(),
    duration: t.runtimeMs === null ? null : t.runtimeMs / 1000,
    started_at: iso(t.startedAt),
    completed_at: iso(t.finishedAt),
    queue: t.queue,
    worker: t.worker,
  }
}

/** The row with what a detail view adds: input, result, the error without its stack, counters. */
export function monitorTaskDetail(t: TaskResult) {
  return {
    ...monitorTaskRow(t),
    state: t.state,
    input: t.input,
    result: t.result,
    error: t.error ? { type: t.error.type, message: t.error.message } : null,
    attempts: t.attempts,
    retries: t.retries,
    created_at: iso(t.createdAt),
  }
}
