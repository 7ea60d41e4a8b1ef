import { createFairGate, type GateRow, gateOfRow } from './fair-gate.ts'
import { createRevokeQueued } from './revoke-queued.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

/**
 * Records a revocation durably. A waiting task is finalised REVOKED at once; a running one keeps
 * running until its worker sees the row through extendLeases; an id not stored yet is refused
 * when it turns up at reserve.
 */
export function createRevoke(ctx: SqliteContext): (id: string, options?: { terminate?: boolean }) => void {
  const { db, clock } = ctx
  const record = db.prepare(
    `INSERT INTO revocations (id, terminate, at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET terminate = max(terminate, excluded.terminate), at = excluded.at`,
  )
  const queued = db.prepare<GateRow & { task: string }, [string]>(
    `SELECT task, queue, group_gate, group_limit FROM tasks WHERE id = ? AND status = 'queued'`,
  )
  const revokeQueued = createRevokeQueued(ctx)
  const fair = createFairGate(ctx)
  const tx = writeTx(db, (id: string, terminate: boolean) => {
    const now = clock.now()
    record.run(id, terminate ? 1 : 0, now)
    const row = queued.get(id)
    if (!row) return
    revokeQueued(id, row.task, row.queue, 'revoked', now)
    // A shared task gives up its slot (or its place in line): the next of its gate may start.
    const gate = gateOfRow(row)
    if (gate) fair.admit(gate, now)
  })
  return (id, options) => tx(id, options?.terminate === true)
}
