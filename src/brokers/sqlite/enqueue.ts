import type { TaskMessage } from '../../core/message.ts'
import type { EnqueueOptions, EnqueueOutcome } from '../broker.ts'
import { createFairGate, gateOfMessage } from './fair-gate.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

const DAY_MS = 24 * 3600 * 1000

/**
 * Stores a batch in one transaction. A live idempotency key (or an id already stored, so a
 * producer may resend safely) yields the existing id with created=false. Keys are checked row by
 * row inside the transaction, so a repeated key within one batch also maps to the first task.
 * A unique key is checked the same way, against the task's state rather than a window.
 */
export function createEnqueue(
  ctx: SqliteContext,
): (messages: TaskMessage[], options?: EnqueueOptions) => EnqueueOutcome[] {
  const { db, clock, events } = ctx
  const fair = createFairGate(ctx)
  const insert = db.prepare(
    `INSERT INTO tasks (id, task, queue, priority, message, status, state, run_at, expires,
       idempotency_key, idem_until, unique_key, unique_until, created_at, group_gate, group_limit, held)
     VALUES (?, ?, ?, ?, ?, 'queued', 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  )
  // Scoped to the task name, as on every engine: one key used with two tasks makes two tasks.
  const findKey = db.prepare<{ id: string }, [string, string, number]>(
    'SELECT id FROM tasks WHERE idempotency_key = ? AND task = ? AND idem_until > ? ORDER BY seq DESC LIMIT 1',
  )

  // A unique key holds while its task is not final, or until its unique_until, whichever is later.
  const findUnique = db.prepare<{ id: string }, [string, string, number]>(
    `SELECT id FROM tasks WHERE unique_key = ? AND task = ?
       AND (unique_until > ? OR state NOT IN ('SUCCESS', 'FAILURE', 'REVOKED'))
     ORDER BY seq DESC LIMIT 1`,
  )

  function enqueueOne(m: TaskMessage, now: number, windowMs: number): EnqueueOutcome {
    const key = m.idempotencyKey ?? null
    if (key !== null) {
      const existing = findKey.get(key, m.task, now)
      if (existing) return { id: existing.id, created: false }
    }
    if (m.unique) {
      const holder = findUnique.get(m.unique.key, m.task, now)
      if (holder) return { id: holder.id, created: false }
    }
    // Undelayed tasks are due from now: run_at orders "waited longest" first among equals.
    const runAt = m.eta ?? now
    const gate = gateOfMessage(m)
    const { changes } = insert.run(
      m.id,
      m.task,
      m.queue,
      m.priority,
      JSON.stringify(m),
      runAt,
      m.expires ?? null,
      key,
      key === null ? null : now + windowMs,
      m.unique?.key ?? null,
      m.unique?.until ?? null,
      now,
      gate?.gate ?? null,
      gate?.limit ?? null,
      gate ? 1 : 0,
    )
    if (changes === 0) return { id: m.id, created: false }
    // A shared task starts held: it is reservable once its gate gives it a slot.
    if (gate && runAt <= now) fair.admit(gate, now)
    else if (gate) fair.timer(gate, runAt)
    events.append(
      'task:enqueued',
      now,
      m.id,
      m.task,
      m.queue,
      `{"priority":${m.priority},"eta":${m.eta ?? null}}`,
    )
    return { id: m.id, created: true }
  }

  const tx = writeTx(db, (messages: TaskMessage[], windowMs: number) => {
    const now = clock.now()
    return messages.map((m) => enqueueOne(m, now, windowMs))
  })
  return (messages, options) =>
    messages.length === 0 ? [] : tx(messages, options?.idempotencyWindowMs ?? DAY_MS)
}
