import type { WorkerInfo, WorkerStatus } from '../broker.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

interface WorkerRow {
  name: string
  info: string
  last_heartbeat: number
}

/** Upserts a worker's snapshot; the first heartbeat of a name is announced as worker:online. */
export function createHeartbeat(ctx: SqliteContext): (info: WorkerInfo) => void {
  const { db, clock, events } = ctx
  const upsert = db.prepare(
    `INSERT INTO workers (name, info, last_heartbeat) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET info = excluded.info, last_heartbeat = excluded.last_heartbeat`,
  )
  const exists = db.prepare<{ n: number }, [string]>('SELECT count(*) AS n FROM workers WHERE name = ?')
  return writeTx(db, (info: WorkerInfo) => {
    const now = clock.now()
    const fresh = exists.get(info.name)?.n === 0
    upsert.run(info.name, JSON.stringify(info), now)
    if (fresh) {
      const data = JSON.stringify({
        name: info.name,
        host: info.host,
        pid: info.pid,
        queues: info.queues,
        concurrency: info.concurrency,
      })
      events.append('worker:online', now, null, null, null, data)
    }
  })
}

/** Every known worker, online when heard from within `offlineAfterMs`. */
export function createListWorkers(ctx: SqliteContext): (offlineAfterMs: number) => WorkerStatus[] {
  const select = ctx.db.prepare<WorkerRow, []>('SELECT name, info, last_heartbeat FROM workers ORDER BY name')
  return (offlineAfterMs) => {
    const now = ctx.clock.now()
    return select.all().map((r) => ({
      ...(JSON.parse(r.info) as WorkerInfo),
      name: r.name,
      lastHeartbeat: r.last_heartbeat,
      online: now - r.last_heartbeat <= offlineAfterMs,
    }))
  }
}

/** Forgets workers silent for longer than `olderThanMs`, announcing each as worker:offline. */
export function createPruneWorkers(ctx: SqliteContext): (olderThanMs: number) => number {
  const { db, clock, events } = ctx
  const remove = db.prepare<{ name: string }, [number]>(
    'DELETE FROM workers WHERE last_heartbeat < ? RETURNING name',
  )
  return writeTx(db, (olderThanMs: number) => {
    const now = clock.now()
    const gone = remove.all(now - olderThanMs)
    for (const { name } of gone)
      events.append('worker:offline', now, null, null, null, JSON.stringify({ name }))
    return gone.length
  })
}
