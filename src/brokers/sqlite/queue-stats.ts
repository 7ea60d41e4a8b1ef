import type { QueueStats } from '../broker.ts'
import type { SqliteContext } from './sqlite-context.ts'

interface Row {
  queue: string
  n: number
  oldest: number | null
}

/** Per-queue counts; each query walks only the partial index of its kind of row. */
export function createQueueStats(ctx: SqliteContext): () => QueueStats[] {
  const { db, clock } = ctx
  const due = db.prepare<Row, [number]>(
    `SELECT queue, count(*) AS n, min(run_at) AS oldest FROM tasks INDEXED BY tasks_reserve
     WHERE status = 'queued' AND held = 0 AND run_at <= ? GROUP BY queue`,
  )
  const delayed = db.prepare<Row, [number]>(
    `SELECT queue, count(*) AS n, NULL AS oldest FROM tasks INDEXED BY tasks_reserve
     WHERE status = 'queued' AND held = 0 AND run_at > ? GROUP BY queue`,
  )
  // Shared tasks waiting for a slot of their gate: due ones are waiting, the others delayed.
  const held = db.prepare<Row & { later: number }, [number, number]>(
    `SELECT queue, sum(run_at <= ?) AS n, sum(run_at > ?) AS later, min(run_at) AS oldest
     FROM tasks INDEXED BY tasks_held WHERE held = 1 GROUP BY queue`,
  )
  const active = db.prepare<Row, []>(
    `SELECT queue, count(*) AS n, NULL AS oldest FROM tasks INDEXED BY tasks_lease WHERE status = 'active' GROUP BY queue`,
  )
  const dead = db.prepare<Row, [number]>(
    `SELECT queue, count(*) AS n, NULL AS oldest FROM tasks INDEXED BY tasks_dead
     WHERE dead_reason IS NOT NULL AND state = 'FAILURE' AND result_expires_at > ? GROUP BY queue`,
  )
  return () => {
    const now = clock.now()
    const stats = new Map<string, QueueStats>()
    const entry = (queue: string): QueueStats => {
      const known = stats.get(queue)
      if (known) return known
      const fresh: QueueStats = { queue, waiting: 0, delayed: 0, active: 0, dead: 0, oldestAgeMs: null }
      stats.set(queue, fresh)
      return fresh
    }
    for (const r of due.all(now))
      Object.assign(entry(r.queue), { waiting: r.n, oldestAgeMs: now - (r.oldest ?? now) })
    for (const r of delayed.all(now)) entry(r.queue).delayed = r.n
    for (const r of held.all(now, now)) {
      const e = entry(r.queue)
      e.waiting += r.n
      e.delayed += r.later
      if (r.n > 0) e.oldestAgeMs = Math.max(e.oldestAgeMs ?? 0, now - (r.oldest ?? now))
    }
    for (const r of active.all()) entry(r.queue).active = r.n
    for (const r of dead.all(now)) entry(r.queue).dead = r.n
    return [...stats.values()].sort((a, b) => a.queue.localeCompare(b.queue))
  }
}
