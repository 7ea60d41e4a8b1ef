import type { TaskResult } from '../../core/result.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'
import { TASK_COLUMNS, type TaskRow, toTaskResult } from './task-row.ts'

/** Reads one task's result; an expired one counts as gone even before cleanup deletes it. */
export function createGetResult(ctx: SqliteContext): (id: string) => TaskResult | null {
  const select = ctx.db.prepare<TaskRow, [string]>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`)
  return (id) => {
    const row = select.get(id)
    if (!row) return null
    if (row.result_expires_at !== null && row.result_expires_at <= ctx.clock.now()) return null
    return toTaskResult(row)
  }
}

/** Rows deleted per transaction, so a big cleanup never holds the write lock for long. */
const CHUNK = 2_000

/** Deletes expired results and old events, plus revocations and control messages nobody needs. */
export function createCleanup(
  ctx: SqliteContext,
): (eventsOlderThanMs: number) => { results: number; events: number } {
  const { db, clock } = ctx
  const results = db.prepare(
    `DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks INDEXED BY tasks_expiry
       WHERE result_expires_at <= ? AND status = 'done' LIMIT ${CHUNK})`,
  )
  const events = db.prepare(
    `DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE at < ? LIMIT ${CHUNK})`,
  )
  const revocations = db.prepare('DELETE FROM revocations WHERE at < ?')
  const control = db.prepare('DELETE FROM control WHERE created_at < ?')
  const workflows = db.prepare('DELETE FROM workflows WHERE expires_at < ?')
  const joins = db.prepare('DELETE FROM workflow_joins WHERE expires_at < ?')
  const chunk = writeTx(db, (stmt: typeof results, before: number) => stmt.run(before).changes)
  const drain = (stmt: typeof results, before: number): number => {
    let total = 0
    for (let n = chunk(stmt, before); n > 0; n = chunk(stmt, before)) total += n
    return total
  }
  return (eventsOlderThanMs) => {
    const now = clock.now()
    const out = { results: drain(results, now), events: drain(events, now - eventsOlderThanMs) }
    // A revocation outlives the results of the task it names, and so stops mattering.
    writeTx(db, () => {
      revocations.run(now - Math.max(ctx.resultTtlMs, ctx.deadTtlMs))
      control.run(now - ctx.controlTtlMs)
      workflows.run(now)
      joins.run(now)
    })()
    return out
  }
}
