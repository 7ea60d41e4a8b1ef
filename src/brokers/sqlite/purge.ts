import { type SqliteContext, writeTx } from './sqlite-context.ts'

/** Deletes the waiting and delayed tasks of a queue; running ones finish normally. */
export function createPurge(ctx: SqliteContext): (queue: string) => number {
  const remove = ctx.db.prepare(`DELETE FROM tasks WHERE status = 'queued' AND queue = ?`)
  return writeTx(ctx.db, (queue: string) => remove.run(queue).changes)
}
