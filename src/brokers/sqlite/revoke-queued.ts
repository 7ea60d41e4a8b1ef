import { revokedErrorInfo } from '../../core/errors.ts'
import type { SqliteContext } from './sqlite-context.ts'

export type RevokeQueued = (id: string, task: string, queue: string, reason: string, now: number) => boolean

/**
 * Finalises a waiting task as REVOKED (revoked by an operator, or past its `expires`), with its
 * event. Call inside a write transaction. Returns false when the task was not waiting.
 */
export function createRevokeQueued(ctx: SqliteContext): RevokeQueued {
  const update = ctx.db.prepare(
    `UPDATE tasks SET status = 'done', state = 'REVOKED', held = 0, error = ?, finished_at = ?, result_expires_at = ?
     WHERE id = ? AND status = 'queued'`,
  )
  return (id, task, queue, reason, now) => {
    const error = JSON.stringify(revokedErrorInfo(reason))
    if (update.run(error, now, now + ctx.resultTtlMs, id).changes === 0) return false
    ctx.events.append('task:revoked', now, id, task, queue, JSON.stringify({ reason }))
    return true
  }
}
