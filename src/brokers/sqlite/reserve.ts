import { newToken } from '../../core/ids.ts'
import type { TaskMessage } from '../../core/message.ts'
import type { Lease, ReserveRequest } from '../broker.ts'
import { createFairGate, gateOfRow } from './fair-gate.ts'
import { createRevokeQueued } from './revoke-queued.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

const MAX_PRIORITY = 9
/**
 * Held tasks whose ETA or backoff fell due are admitted at most this often: a statement per
 * reserve would be paid by every queue, shared tasks or not, at thousands of reserves a second.
 */
const TIMER_EVERY_MS = 100

interface Candidate {
  id: string
  task: string
  queue: string
  expires: number | null
  redelivered: number
  revoked: number
  group_gate: string | null
  group_limit: number | null
}

interface Claimed {
  message: string
  attempts: number
  retries: number
}

/**
 * Claims up to `max` due tasks in one write transaction, queue by queue in the order given, each
 * queue highest priority first and then the one due longest. Check and claim share the
 * transaction, so two processes can never lease the same task.
 */
export function createReserve(ctx: SqliteContext): (request: ReserveRequest) => Lease[] {
  const { db, clock, events } = ctx
  // One priority at a time keeps run_at a range bound of the index: with the priority left open,
  // an idle poll would step over every delayed task of the queue to find nothing.
  const candidates = db.prepare<Candidate, [string, number, number, number]>(
    `SELECT id, task, queue, expires, redelivered, group_gate, group_limit,
       EXISTS (SELECT 1 FROM revocations r WHERE r.id = t.id) AS revoked
     FROM tasks t INDEXED BY tasks_reserve
     WHERE status = 'queued' AND held = 0 AND queue = ? AND priority = ? AND run_at <= ?
     ORDER BY run_at, seq LIMIT ?`,
  )
  // started_at is set at claim: the worker reserves only for a free slot, so claim is start.
  const claim = db.prepare<Claimed, [string, number, string, number, string]>(
    `UPDATE tasks SET status = 'active', state = 'RECEIVED', lease_token = ?, lease_expires = ?, worker = ?,
       started_at = ?, attempts = attempts + 1, redelivered = 0
     WHERE id = ? RETURNING message, attempts, retries`,
  )
  const revokeQueued = createRevokeQueued(ctx)
  const fair = createFairGate(ctx)
  let timersAt = Number.NEGATIVE_INFINITY

  /** A task finalised here without running gives its gate's slot to the next in line. */
  function finalise(c: Candidate, reason: string, now: number): void {
    revokeQueued(c.id, c.task, c.queue, reason, now)
    const gate = gateOfRow(c)
    if (gate) fair.admit(gate, now)
  }

  function claimOne(c: Candidate, now: number, req: ReserveRequest): Lease {
    const token = newToken()
    const expiresAt = now + req.leaseMs
    const row = claim.get(token, expiresAt, req.worker, now, c.id) as Claimed
    events.append(
      'task:received',
      now,
      c.id,
      c.task,
      c.queue,
      JSON.stringify({ worker: req.worker, attempt: row.attempts }),
    )
    const message = JSON.parse(row.message) as TaskMessage
    return {
      id: c.id,
      token,
      message,
      attempt: row.attempts,
      retries: row.retries,
      redelivered: c.redelivered === 1,
      expiresAt,
    }
  }

  /** Fills `out` from one queue and priority; returns how many more are still wanted. */
  function claimFrom(
    queue: string,
    priority: number,
    want: number,
    now: number,
    req: ReserveRequest,
    out: Lease[],
  ) {
    while (want > 0) {
      const rows = candidates.all(queue, priority, now, want)
      if (rows.length === 0) return want
      for (const c of rows) {
        if (c.revoked) finalise(c, 'revoked', now)
        else if (c.expires !== null && c.expires <= now) finalise(c, 'expired', now)
        else {
          out.push(claimOne(c, now, req))
          want--
        }
      }
    }
    return want
  }

  const tx = writeTx(db, (req: ReserveRequest) => {
    const now = clock.now()
    if (now - timersAt >= TIMER_EVERY_MS || now < timersAt) {
      timersAt = now
      fair.fireTimers(req.queues, now)
    }
    const out: Lease[] = []
    let want = req.max
    for (const queue of req.queues) {
      for (let priority = MAX_PRIORITY; priority >= 0 && want > 0; priority--) {
        want = claimFrom(queue, priority, want, now, req, out)
      }
    }
    return out
  })
  return (req) => (req.max <= 0 || req.queues.length === 0 ? [] : tx(req))
}
