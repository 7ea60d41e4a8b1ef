import type { Database } from 'bun:sqlite'
import type { Clock } from '../../core/clock.ts'
import type { ReadLane } from '../../core/read-lane.ts'
import type { EventWriter } from './events.ts'

/** What every operation module is built from: one per broker, shared by its statements. */
export interface SqliteContext {
  readonly db: Database
  readonly clock: Clock
  readonly resultTtlMs: number
  /** How long dead letters stay for inspection and requeue. */
  readonly deadTtlMs: number
  /** Control messages older than this are neither delivered nor kept. */
  readonly controlTtlMs: number
  readonly events: EventWriter
  /** Long reads (task search) take turns here, one slice per event-loop turn. */
  readonly readLane: ReadLane
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so no reader
 * can upgrade into a deadlock and busy_timeout applies to the whole step. */
export function writeTx<A extends unknown[], T>(db: Database, fn: (...args: A) => T): (...args: A) => T {
  const tx = db.transaction(fn)
  return (...args: A) => tx.immediate(...args)
}
