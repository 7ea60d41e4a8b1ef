import type { RecoverOutcome } from '../broker.ts'
import { createFairGate, gateOfRow } from './fair-gate.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

interface Expired {
  id: string
  task: string
  queue: string
  redeliveries: number
  group_gate: string | null
  group_limit: number | null
}

const WORKER_LOST = JSON.stringify({
  type: 'WorkerLostError',
  message: 'worker lost: the lease expired too many times',
  stack: null,
  code: 'worker_lost',
})

/**
 * Takes back tasks whose lease expired (their worker died or stalled): each goes back to its
 * queue flagged redelivered, keeping its place, or to the dead letters once lost too often.
 */
export function createRecoverExpired(ctx: SqliteContext): (maxRedeliveries: number) => RecoverOutcome {
  const { db, clock, events, deadTtlMs } = ctx
  const fair = createFairGate(ctx)
  const expired = db.prepare<Expired, [number]>(
    `SELECT id, task, queue, redeliveries, group_gate, group_limit FROM tasks INDEXED BY tasks_lease
     WHERE status = 'active' AND lease_expires < ?`,
  )
  const clear = 'lease_token = NULL, lease_expires = NULL, redeliveries = redeliveries + 1'
  const requeue = db.prepare(
    `UPDATE tasks SET status = 'queued', state = 'PENDING', redelivered = 1, worker = NULL, ${clear} WHERE id = ?`,
  )
  const kill = db.prepare(
    `UPDATE tasks SET status = 'done', state = 'FAILURE', error = ?, dead_reason = 'worker_lost', finished_at = ?,
       result_expires_at = ?, ${clear} WHERE id = ?`,
  )
  return writeTx(db, (maxRedeliveries: number): RecoverOutcome => {
    const now = clock.now()
    const out: RecoverOutcome = { requeued: [], dead: [] }
    for (const t of expired.all(now)) {
      const redeliveries = t.redeliveries + 1
      const dead = redeliveries >= maxRedeliveries
      if (dead) kill.run(WORKER_LOST, now, now + deadTtlMs, t.id)
      else requeue.run(t.id)
      // A requeued task keeps its gate's slot; a dead one gives it to the next in line.
      const gate = dead ? gateOfRow(t) : null
      if (gate) fair.admit(gate, now)
      events.append('task:recovered', now, t.id, t.task, t.queue, JSON.stringify({ redeliveries, dead }))
      if (dead)
        events.append(
          'task:failed',
          now,
          t.id,
          t.task,
          t.queue,
          `{"reason":"worker_lost","error":${WORKER_LOST}}`,
        )
      ;(dead ? out.dead : out.requeued).push(t.id)
    }
    return out
  })
}
