import type { Statement } from 'bun:sqlite'
import { revokedErrorInfo } from '../../core/errors.ts'
import type { Settlement, SettleOutcome } from '../broker.ts'
import { settlementEvent } from '../settlement-event.ts'
import { createFairGate, gateOfMessage } from './fair-gate.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

/** Every settlement is fenced: it applies only while the lease token still holds an active task.
 * A SUCCESS row is 'done' with no token, so nothing can ever overwrite it. */
const FENCE = `WHERE id = ? AND lease_token = ? AND status = 'active'`
/** The token moves to settled_by (SQLite reads the old value), so a resend of it is recognised. */
const CLEAR_LEASE = 'settled_by = lease_token, lease_token = NULL, lease_expires = NULL'

type Handler<K extends Settlement['kind']> = (s: Extract<Settlement, { kind: K }>, now: number) => boolean
type Handlers = { [K in Settlement['kind']]: Handler<K> }

function createHandlers(ctx: SqliteContext): Handlers {
  const { db, events, resultTtlMs, deadTtlMs } = ctx
  const prep = (set: string): Statement => db.prepare(`UPDATE tasks SET ${set}, ${CLEAR_LEASE} ${FENCE}`)
  const ack = prep(
    `status = 'done', state = 'SUCCESS', result = ?, error = NULL, finished_at = ?, runtime_ms = ?, result_expires_at = ?`,
  )
  const retry = prep(`status = 'queued', state = 'RETRY', run_at = ?, retries = retries + 1, error = ?`)
  const fail =
    prep(`status = 'done', state = 'FAILURE', error = ?, dead_reason = ?, finished_at = ?, runtime_ms = ?,
    result_expires_at = ?`)
  const revoked = prep(
    `status = 'done', state = 'REVOKED', error = ?, finished_at = ?, result_expires_at = ?`,
  )
  const release = prep(
    `status = 'queued', state = 'PENDING', worker = NULL, attempts = attempts - ?, run_at = COALESCE(?, run_at)`,
  )
  const emit = (s: Settlement, now: number) => {
    const e = settlementEvent(s, now)
    events.append(e.type, e.at, e.taskId, e.task, e.queue, e.data)
  }

  return {
    ack(s, now) {
      const result = s.lease.message.ignoreResult || s.result == null ? null : JSON.stringify(s.result)
      const args = [
        result,
        now,
        s.runtimeMs,
        now + (s.lease.message.resultExpires ?? resultTtlMs),
        s.lease.id,
        s.lease.token,
      ] as const
      if (ack.run(...args).changes === 0) return false
      emit(s, now)
      return true
    },
    retry(s, now) {
      if (retry.run(s.at, JSON.stringify(s.error), s.lease.id, s.lease.token).changes === 0) return false
      emit(s, now)
      return true
    },
    fail(s, now) {
      const args = [
        JSON.stringify(s.error),
        s.reason,
        now,
        s.runtimeMs,
        now + deadTtlMs,
        s.lease.id,
        s.lease.token,
      ] as const
      if (fail.run(...args).changes === 0) return false
      emit(s, now)
      return true
    },
    revoked(s, now) {
      const error = JSON.stringify(revokedErrorInfo(s.reason))
      if (revoked.run(error, now, now + resultTtlMs, s.lease.id, s.lease.token).changes === 0) return false
      emit(s, now)
      return true
    },
    release(s, now) {
      // Not started: the claim did not become an execution, so it does not count as an attempt.
      if (release.run(s.started ? 0 : 1, s.at ?? null, s.lease.id, s.lease.token).changes === 0) return false
      emit(s, now)
      return true
    },
  }
}

/** Records a whole array of outcomes in one transaction; each is 'ok', 'already_settled' or 'lease_lost'. */
export function createSettle(ctx: SqliteContext): (settlements: Settlement[]) => SettleOutcome[] {
  const handlers = createHandlers(ctx)
  const settledBy = ctx.db.prepare<{ one: number }, [string, string]>(
    'SELECT 1 AS one FROM tasks WHERE id = ? AND settled_by = ?',
  )
  const fair = createFairGate(ctx)
  // A shared task that ended gives its slot to the next of its gate; one that left for later too.
  const passSlot = (s: Settlement, now: number) => {
    const gate = gateOfMessage(s.lease.message)
    if (!gate) return
    if (s.kind === 'retry' || s.kind === 'release') fair.postpone(s.lease.id, gate, now)
    else fair.admit(gate, now)
  }
  const tx = writeTx(ctx.db, (settlements: Settlement[]) => {
    const now = ctx.clock.now()
    return settlements.map((s): SettleOutcome => {
      const handler = handlers[s.kind] as Handler<typeof s.kind>
      if (handler(s as never, now)) {
        passSlot(s, now)
        return 'ok'
      }
      // Its event was written with it, in the same transaction: nothing to add.
      return settledBy.get(s.lease.id, s.lease.token) ? 'already_settled' : 'lease_lost'
    })
  })
  return (settlements) => (settlements.length === 0 ? [] : tx(settlements))
}
