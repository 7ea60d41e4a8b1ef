import { createAcquireRate, createPing } from './acquire-rate.ts'
import { createPollControl, createReadReplies, createReplyControl, createSendControl } from './control.ts'
import { createListDead, createPurge, createRequeueDead } from './dead-letters.ts'
import { createEnqueue } from './enqueue.ts'
import { createExtendLeases, createSetState } from './extend-leases.ts'
import { createListTasks } from './list-tasks.ts'
import { createPersistence } from './persistence.ts'
import { createQueueStats } from './queue-stats.ts'
import { createRecoverExpired } from './recover-expired.ts'
import type { RedisContext } from './redis-context.ts'
import { createReserve } from './reserve.ts'
import { createCleanup, createGetResult } from './results.ts'
import { createRevoke } from './revoke.ts'
import { createLockOperations, createScheduleOperations } from './schedules.ts'
import { createSettle } from './settle.ts'
import { createHeartbeat, createListWorkers, createPruneWorkers } from './workers.ts'

/** Builds every operation over one context. */
export function createRedisOperations(ctx: RedisContext) {
  return {
    enqueue: createEnqueue(ctx),
    reserve: createReserve(ctx),
    settle: createSettle(ctx),
    extendLeases: createExtendLeases(ctx),
    setState: createSetState(ctx),
    recoverExpired: createRecoverExpired(ctx),
    getResult: createGetResult(ctx),
    revoke: createRevoke(ctx),
    acquireRate: createAcquireRate(ctx),
    heartbeat: createHeartbeat(ctx),
    pollControl: createPollControl(ctx),
    replyControl: createReplyControl(ctx),
    listTasks: createListTasks(ctx),
    readEvents: (after: string | null, limit: number) =>
      ctx.events.read(after, Math.max(0, Math.floor(limit))),
    taskEvents: (id: string) => ctx.events.forTask(id),
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
    persistence: createPersistence(ctx),
    ...createScheduleOperations(ctx),
    ...createLockOperations(ctx),
  }
}

export type RedisOperations = ReturnType<typeof createRedisOperations>
