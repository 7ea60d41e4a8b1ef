import { gateOf, type TaskMessage } from '../../core/message.ts'
import type { SqliteContext } from './sqlite-context.ts'

/** A fairly shared task's gate on this queue, and the most of it running at once. */
export interface GateOf {
  queue: string
  gate: string
  limit: number
}

/** The gate a message's capped fairness group counts in, or null when it has no cap. */
export function gateOfMessage(m: TaskMessage): GateOf | null {
  const limit = m.group?.limit
  return limit ? { queue: m.queue, gate: gateOf(m.task, m.group?.key ?? null), limit } : null
}

/** The columns a row keeps its gate in. */
export interface GateRow {
  queue: string
  group_gate: string | null
  group_limit: number | null
}

/** The gate a row's columns name, or null. */
export function gateOfRow(row: GateRow): GateOf | null {
  return row.group_gate && row.group_limit
    ? { queue: row.queue, gate: row.group_gate, limit: row.group_limit }
    : null
}

export interface FairGate {
  /** Gives free slots of the gate to its due held tasks, longest waiting first within a priority. */
  admit(g: GateOf, now: number): void
  /** The task left for later (a retry's backoff, a delayed release): it gives its slot back. */
  postpone(id: string, g: GateOf, now: number): void
  /** A held task was stored to start at `due`: reserve admits it then. */
  timer(g: GateOf, due: number): void
  /** Admits the held tasks of these queues that became due since they were held. */
  fireTimers(queues: string[], now: number): void
}

/**
 * Fair sharing on SQLite. A shared task's row carries its gate (task name and key) and cap; a
 * task waiting for a slot is `held` (queued but not reservable). A slot is in use while a row of
 * the gate is queued and not held, or active, so counting rows keeps the cap exact whatever path
 * ended a task. Admission stamps run_at with the time of admission: a key with a long backlog gets
 * its next slot behind the other keys' tasks already waiting, so keys take turns within a priority.
 * Call inside a write transaction.
 */
export function createFairGate(ctx: SqliteContext): FairGate {
  const { db } = ctx
  const inUse = db.prepare<{ n: number }, [string, string]>(
    `SELECT count(*) AS n FROM tasks INDEXED BY tasks_gate_slots
     WHERE queue = ? AND group_gate = ? AND group_gate IS NOT NULL AND held = 0 AND status IN ('queued', 'active')`,
  )
  const release = db.prepare<unknown, [number, string, string, number, number]>(
    `UPDATE tasks SET held = 0, run_at = ? WHERE id IN (
       SELECT id FROM tasks INDEXED BY tasks_held
       WHERE held = 1 AND status = 'queued' AND queue = ? AND group_gate = ? AND run_at <= ?
       ORDER BY priority DESC, run_at, seq LIMIT ?)`,
  )
  const hold = db.prepare<{ run_at: number }, [string, number]>(
    `UPDATE tasks SET held = 1 WHERE id = ? AND status = 'queued' AND run_at > ? RETURNING run_at`,
  )
  const addTimer = db.prepare<unknown, [string, string, number, number]>(
    'INSERT INTO gate_timers (queue, gate, lim, due) VALUES (?, ?, ?, ?)',
  )
  const dueTimers = db.prepare<{ gate: string; lim: number }, [string, number]>(
    `DELETE FROM gate_timers WHERE queue = ? AND due <= ? RETURNING gate, lim`,
  )

  function admit(g: GateOf, now: number): void {
    const free = g.limit - (inUse.get(g.queue, g.gate)?.n ?? 0)
    if (free > 0) release.run(now, g.queue, g.gate, now, free)
  }

  function timer(g: GateOf, due: number): void {
    addTimer.run(g.queue, g.gate, g.limit, due)
  }

  return {
    admit,
    timer,
    postpone(id, g, now) {
      const held = hold.get(id, now)
      if (held) timer(g, held.run_at)
      admit(g, now)
    },
    fireTimers(queues, now) {
      for (const queue of queues) {
        const fired = dueTimers.all(queue, now)
        const seen = new Set<string>()
        for (const t of fired) {
          if (seen.has(t.gate)) continue
          seen.add(t.gate)
          admit({ queue, gate: t.gate, limit: t.lim }, now)
        }
      }
    },
  }
}
