import type { ExtendOutcome, Lease } from '../broker.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

/** Renews a batch of leases in one transaction, fenced by token, and reports revocations. */
export function createExtendLeases(
  ctx: SqliteContext,
): (leases: Lease[], leaseMs: number) => ExtendOutcome[] {
  const { db, clock } = ctx
  const extend = db.prepare(
    `UPDATE tasks SET lease_expires = ? WHERE id = ? AND lease_token = ? AND status = 'active'`,
  )
  const revocation = db.prepare<{ terminate: number }, [string]>(
    'SELECT terminate FROM revocations WHERE id = ?',
  )
  const tx = writeTx(db, (leases: Lease[], leaseMs: number) => {
    const expiresAt = clock.now() + leaseMs
    return leases.map((lease): ExtendOutcome => {
      const ok = extend.run(expiresAt, lease.id, lease.token).changes > 0
      const r = revocation.get(lease.id)
      return { id: lease.id, ok, revoked: r ? { terminate: r.terminate === 1 } : null }
    })
  })
  return (leases, leaseMs) => (leases.length === 0 ? [] : tx(leases, leaseMs))
}
