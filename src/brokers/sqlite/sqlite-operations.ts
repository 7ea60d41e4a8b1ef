import type { Database } from 'bun:sqlite'
import type { Clock } from '../../core/clock.ts'
import { createAcquireRate, createPing } from './acquire-rate.ts'
import { createBackup } from './backup.ts'
import { createPollControl, createReadReplies, createReplyControl, createSendControl } from './control.ts'
import { createListDead, createRequeueDead } from './dead-letters.ts'
import { createEnqueue } from './enqueue.ts'
import { createEventWriter, createReadEvents, createTaskEvents } from './events.ts'
import { createExtendLeases } from './extend-leases.ts'
import { createListTasks } from './list-tasks.ts'
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

export interface OperationSettings {
  clock: Clock
  resultTtlMs: number
  deadTtlMs: number
  controlTtlMs: number
}

/** Builds every operation over one open database; each prepares its statements here, once. */
export function createSqliteOperations(db: Database, settings: OperationSettings) {
  const ctx: SqliteContext = { db, ...settings, events: createEventWriter(db) }
  return {
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
    sendControl: createSendControl(ctx),
    readReplies: createReadReplies(ctx),
    cleanup: createCleanup(ctx),
    backup: createBackup(ctx),
    ...createScheduleOperations(ctx),
    ...createLockOperations(ctx),
  }
}

export type SqliteOperations = ReturnType<typeof createSqliteOperations>
