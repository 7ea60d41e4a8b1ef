import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { BrokerCapabilities, BrokerEngine } from '../broker.ts'
import { createAcquireRate, createPing } from './acquire-rate.ts'
import { createPollControl, createReadReplies, createReplyControl, createSendControl } from './control.ts'
import { createListDead, createPurge, createRequeueDead } from './dead-letters.ts'
import { createEnqueue } from './enqueue.ts'
import { EventLog } from './event-log.ts'
import { createExtendLeases, createSetState } from './extend-leases.ts'
import { RedisKeys } from './keys.ts'
import { KnownQueues } from './known-queues.ts'
import { createListRevoked } from './list-revoked.ts'
import { createListTasks } from './list-tasks.ts'
import { createQueueStats } from './queue-stats.ts'
import { createRecoverExpired } from './recover-expired.ts'
import type { RedisTransport } from './redis-commands.ts'
import type { RedisContext } from './redis-context.ts'
import { createReserve } from './reserve.ts'
import { createCleanup, createGetResult } from './results.ts'
import { createRevoke } from './revoke.ts'
import { createLockOperations, createScheduleOperations } from './schedules.ts'
import { createSettle } from './settle.ts'
import { createHeartbeat, createListWorkers, createPruneWorkers } from './workers.ts'
import { createWorkflowOperations } from './workflows.ts'

const HOUR_MS = 3600 * 1000

/** What both Redis-protocol engines (ioredis, Upstash over HTTP) are configured with. */
export interface RedisEngineSettings {
  engine: string
  capabilities: BrokerCapabilities
  /** The wire: ioredis (connect.ts) or HTTP (../upstash/); the only thing the two engines differ in. */
  conn: RedisTransport
  prefix: string
  clock: Clock
  cluster: boolean
  log: Logger
  resultTtlMs?: number
  deadTtlMs?: number
  controlTtlMs?: number
  /** How long a silent worker stays listed (default 24 h). */
  workerTtlMs?: number
}

function createRedisContext(s: RedisEngineSettings): RedisContext {
  const keys = new RedisKeys(s.prefix)
  return {
    conn: s.conn,
    keys,
    clock: s.clock,
    cluster: s.cluster,
    resultTtlMs: s.resultTtlMs ?? 24 * HOUR_MS,
    deadTtlMs: s.deadTtlMs ?? 7 * 24 * HOUR_MS,
    controlTtlMs: s.controlTtlMs ?? 5 * 60 * 1000,
    workerTtlMs: s.workerTtlMs ?? 24 * HOUR_MS,
    events: new EventLog(s.conn.client, keys.events, s.log),
    queues: new KnownQueues(s.conn.client, keys),
    log: s.log,
  }
}

/**
 * The broker over the Redis operation modules and Lua scripts, shared by the Redis and Upstash
 * engines: each operation is a module, every multi-key step one script touching one queue's slot.
 */
export function createRedisEngine(settings: RedisEngineSettings) {
  const ctx = createRedisContext(settings)
  let closed = false
  return {
    engine: settings.engine,
    capabilities: settings.capabilities,
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
    listRevoked: createListRevoked(ctx),
    sendControl: createSendControl(ctx),
    readReplies: createReadReplies(ctx),
    cleanup: createCleanup(ctx),
    ...createScheduleOperations(ctx),
    ...createLockOperations(ctx),
    ...createWorkflowOperations(ctx),
    /** Writes the events still buffered, then closes the wire. */
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await ctx.events.flush()
      await settings.conn.close?.()
    },
  } satisfies BrokerEngine
}
