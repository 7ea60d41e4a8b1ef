import type { TaskResult } from '../../core/result.ts'
import { createFairGate, type GateRow, gateOfRow } from './fair-gate.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'
import { TASK_COLUMNS, type TaskRow, toTaskResult } from './task-row.ts'

/** Dead letters (FAILURE with a dead reason), newest first, of one queue or all. */
export function createListDead(ctx: SqliteContext): (queue?: string, limit?: number) => TaskResult[] {
  const live = 'dead_reason IS NOT NULL AND state = ? AND result_expires_at > ?'
  const all = ctx.db.prepare<TaskRow, [string, number, number]>(
    `SELECT ${TASK_COLUMNS} FROM tasks INDEXED BY tasks_dead WHERE ${live} ORDER BY seq DESC LIMIT ?`,
  )
  const one = ctx.db.prepare<TaskRow, [string, number, string, number]>(
    `SELECT ${TASK_COLUMNS} FROM tasks INDEXED BY tasks_dead WHERE ${live} AND queue = ? ORDER BY seq DESC LIMIT ?`,
  )
  return (queue, limit = 100) => {
    const now = ctx.clock.now()
    const rows = queue === undefined ? all.all('FAILURE', now, limit) : one.all('FAILURE', now, queue, limit)
    return rows.map(toTaskResult)
  }
}

/** Puts a failed task back on its queue, due now, with fresh counters and no trace of the failure. */
export function createRequeueDead(ctx: SqliteContext): (id: string) => boolean {
  const { db, clock, events } = ctx
  const fair = createFairGate(ctx)
  // A shared task goes back held: it waits for a slot of its gate like a new one.
  const requeue = db.prepare<GateRow & { task: string }, [number, string]>(
    `UPDATE tasks SET status = 'queued', state = 'PENDING', run_at = ?, held = group_gate IS NOT NULL, attempts = 0, retries = 0,
       redeliveries = 0, redelivered = 0, error = NULL, dead_reason = NULL, result = NULL, meta = NULL,
       worker = NULL, started_at = NULL, finished_at = NULL, runtime_ms = NULL, result_expires_at = NULL,
       lease_token = NULL, lease_expires = NULL
     WHERE id = ? AND state = 'FAILURE' AND status = 'done' RETURNING task, queue, group_gate, group_limit`,
  )
  // An operator putting a task back means it: an old revocation must not swallow it again.
  const forgetRevocation = db.prepare('DELETE FROM revocations WHERE id = ?')
  return writeTx(db, (id: string) => {
    const now = clock.now()
    const row = requeue.get(now, id)
    if (!row) return false
    forgetRevocation.run(id)
    const gate = gateOfRow(row)
    if (gate) fair.admit(gate, now)
    events.append('task:requeued', now, id, row.task, row.queue, '{}')
    return true
  })
}
