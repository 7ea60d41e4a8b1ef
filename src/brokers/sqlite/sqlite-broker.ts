import type { Clock } from '../../core/clock.ts'
import { ReadLane } from '../../core/read-lane.ts'
import type { BrokerEngine } from '../broker.ts'
import { createAcquireRate, createPing } from './acquire-rate.ts'
import { createBackup } from './backup.ts'
import { createPollControl, createReadReplies, createReplyControl, createSendControl } from './control.ts'
import { createListDead, createRequeueDead } from './dead-letters.ts'
import { createEnqueue } from './enqueue.ts'
import { createEventWriter, createReadEvents, createTaskEvents } from './events.ts'
import { createExtendLeases } from './extend-leases.ts'
import { createListRevoked } from './list-revoked.ts'
import { createListTasks } from './list-tasks.ts'
import { openDatabase, type SyncMode } from './open-database.ts'
import { createPurge } from './purge.ts'
import { createQueueStats } from './queue-stats.ts'
import { createRecoverExpired } from './recover-expired.ts'
import { createReserve } from './reserve.ts'
import { createCleanup, createGetResult } from './results.ts'
import { createRevoke } from './revoke.ts'
import { createLockOperations, createScheduleOperations } from './schedules.ts'
import { createSetState } from './set-state.ts'
import { createSettle } from './settle.ts'
import type { SqliteContext } from './sqlite-context.ts'
import { createHeartbeat, createListWorkers, createPruneWorkers } from './workers.ts'
import { createWorkflowOperations } from './workflows.ts'

export interface SqliteBrokerOptions {
  /** File path, or ':memory:' (single process only). */
  path: string
  clock: Clock
  /** How long a finished task's result is kept (default 24 h). */
  resultTtlMs?: number
  /** How long dead letters are kept for inspection and requeue (default 7 days). */
  deadTtlMs?: number
  /** How long a control command stays deliverable (default 5 min). */
  controlTtlMs?: number
  /** 'full' survives power loss; 'normal' may lose the last commits on power loss, never on a crash. */
  sync?: SyncMode
  /** false: refuse a file that does not exist instead of creating it (client commands). Default true. */
  create?: boolean
}

const HOUR_MS = 3600 * 1000

type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K]
}

/** The synchronous operations as the interface's async methods: a throw becomes a rejection. */
function promised<T extends Record<string, (...args: never[]) => unknown>>(ops: T): Promised<T> {
  const wrap =
    (fn: (...args: unknown[]) => unknown) =>
    async (...args: unknown[]) =>
      fn(...args)
  return Object.fromEntries(
    Object.entries(ops).map(([name, fn]) => [name, wrap(fn as (...args: unknown[]) => unknown)]),
  ) as Promised<T>
}

/**
 * The embedded engine: one SQLite file in WAL mode, shared safely by every process on the host.
 * Each operation lives in its own module with its statements prepared once, here.
 */
export function createSqliteBroker(options: SqliteBrokerOptions) {
  const db = openDatabase(options.path, options.sync ?? 'full', options.create ?? true)
  const ctx: SqliteContext = {
    db,
    clock: options.clock,
    resultTtlMs: options.resultTtlMs ?? 24 * HOUR_MS,
    deadTtlMs: options.deadTtlMs ?? 7 * 24 * HOUR_MS,
    controlTtlMs: options.controlTtlMs ?? 5 * 60 * 1000,
    events: createEventWriter(db),
    readLane: new ReadLane(),
  }
  let closed = false
  return {
    engine: 'sqlite',
    capabilities: { blockingReserve: false },
    ...promised({
      enqueue: createEnqueue(ctx),
      reserve: createReserve(ctx),
      settle: createSettle(ctx),
      extendLeases: createExtendLeases(ctx),
      setState: createSetState(ctx),
      recoverExpired: createRecoverExpired(ctx),
      getResult: createGetResult(ctx),
      revoke: createRevoke(ctx),
      heartbeat: createHeartbeat(ctx),
      pollControl: createPollControl(ctx),
      replyControl: createReplyControl(ctx),
      listTasks: createListTasks(ctx),
      readEvents: createReadEvents(db),
      taskEvents: createTaskEvents(db),
      acquireRate: createAcquireRate(ctx),
      ping: createPing(ctx),
      queueStats: createQueueStats(ctx),
      listWorkers: createListWorkers(ctx),
      pruneWorkers: createPruneWorkers(ctx),
      listDead: createListDead(ctx),
      requeueDead: createRequeueDead(ctx),
      purge: createPurge(ctx),
      listRevoked: createListRevoked(ctx),
      sendControl: createSendControl(ctx),
      readReplies: createReadReplies(ctx),
      cleanup: createCleanup(ctx),
      backup: createBackup(ctx),
      ...createScheduleOperations(ctx),
      ...createLockOperations(ctx),
      ...createWorkflowOperations(ctx),
    }),
    async close(): Promise<void> {
      if (closed) return
      closed = true
      db.close()
    },
  } satisfies BrokerEngine
}

export type SqliteBroker = ReturnType<typeof createSqliteBroker>
