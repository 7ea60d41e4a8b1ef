import type { ScheduleState } from '../../beat/schedule-entry.ts'
import type { Clock } from '../../core/clock.ts'
import type { Json } from '../../core/json.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import type { TaskMessage } from '../../core/message.ts'
import type { TaskResult } from '../../core/result.ts'
import type {
  BrokerCapabilities,
  BrokerEngine,
  BrokerEvent,
  ControlCommand,
  ControlMessage,
  ControlReply,
  EnqueueOptions,
  EnqueueOutcome,
  ExtendOutcome,
  Lease,
  QueueStats,
  RateLimit,
  RecoverOutcome,
  ReserveRequest,
  Settlement,
  SettleOutcome,
  StoredSchedule,
  TaskPage,
  TaskQuery,
  WorkerInfo,
  WorkerStatus,
} from '../broker.ts'
import { EventLog } from '../redis/event-log.ts'
import { RedisKeys } from '../redis/keys.ts'
import { KnownQueues } from '../redis/known-queues.ts'
import type { RedisContext } from '../redis/redis-context.ts'
import { createRedisOperations, type RedisOperations } from '../redis/redis-operations.ts'
import { UpstashHttp } from './upstash-http.ts'
import { createUpstashTransport } from './upstash-transport.ts'
import { parseUpstashUrl, type UpstashDefaults } from './upstash-url.ts'

export interface UpstashBrokerOptions {
  /** `upstash://<token>@<host>`, `upstash://<host>?token=...`, `upstash+http://...` (see upstash-url.ts). */
  url: string
  clock: Clock
  /** Used when the URL has no token or idlePollMs (CELERIAC_UPSTASH_TOKEN, CELERIAC_UPSTASH_IDLE_POLL_MS). */
  defaults?: UpstashDefaults
  /** Key prefix (default: the URL's `?prefix=`, else 'celeriac'). */
  prefix?: string
  resultTtlMs?: number
  deadTtlMs?: number
  controlTtlMs?: number
  workerTtlMs?: number
  log?: Logger
}

const HOUR_MS = 3600 * 1000

/**
 * Upstash over its REST API: the Redis engine's operation modules, Lua scripts and key layout,
 * sent through @upstash/redis (EVALSHA, falling back to EVAL). HTTP has no blocking pop, so the
 * worker polls, backing off to `idlePollMs` when idle (Upstash bills per command); the commands of
 * one event-loop turn share one /pipeline request.
 */
export class UpstashBroker implements BrokerEngine {
  readonly engine = 'upstash'
  readonly capabilities: BrokerCapabilities
  readonly keys: RedisKeys
  private readonly ctx: RedisContext
  private readonly ops: RedisOperations
  private closed = false

  constructor(options: UpstashBrokerOptions) {
    const target = parseUpstashUrl(options.url, options.defaults)
    const log = options.log ?? silentLogger
    const conn = createUpstashTransport(new UpstashHttp(target, log))
    this.capabilities = { blockingReserve: false, singleHost: false, idlePollMs: target.idlePollMs }
    this.keys = new RedisKeys(options.prefix ?? target.prefix)
    this.ctx = {
      conn,
      keys: this.keys,
      clock: options.clock,
      cluster: false,
      resultTtlMs: options.resultTtlMs ?? 24 * HOUR_MS,
      deadTtlMs: options.deadTtlMs ?? 7 * 24 * HOUR_MS,
      controlTtlMs: options.controlTtlMs ?? 5 * 60 * 1000,
      workerTtlMs: options.workerTtlMs ?? 24 * HOUR_MS,
      events: new EventLog(conn.client, this.keys.events, log),
      queues: new KnownQueues(conn.client, this.keys),
      log,
    }
    this.ops = createRedisOperations(this.ctx)
  }

  /** Writes the events still buffered; there is no connection to close (HTTP keep-alive). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ctx.events.flush()
  }

  enqueue(messages: TaskMessage[], options?: EnqueueOptions): Promise<EnqueueOutcome[]> {
    return this.ops.enqueue(messages, options)
  }
  /** HTTP cannot block: a `waitMs` is ignored (as the interface allows) and the worker polls. */
  reserve(request: ReserveRequest): Promise<Lease[]> {
    return this.ops.reserve({ ...request, waitMs: undefined })
  }
  settle(settlements: Settlement[]): Promise<SettleOutcome[]> {
    return this.ops.settle(settlements)
  }
  extendLeases(leases: Lease[], leaseMs: number): Promise<ExtendOutcome[]> {
    return this.ops.extendLeases(leases, leaseMs)
  }
  setState(lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json): Promise<SettleOutcome> {
    return this.ops.setState(lease, state, meta)
  }
  recoverExpired(maxRedeliveries: number): Promise<RecoverOutcome> {
    return this.ops.recoverExpired(maxRedeliveries)
  }
  getResult(id: string): Promise<TaskResult | null> {
    return this.ops.getResult(id)
  }
  revoke(id: string, options?: { terminate?: boolean }): Promise<void> {
    return this.ops.revoke(id, options)
  }
  acquireRate(key: string, limit: RateLimit): Promise<number> {
    return this.ops.acquireRate(key, limit)
  }
  listSchedules(): Promise<StoredSchedule[]> {
    return this.ops.listSchedules()
  }
  getSchedule(name: string): Promise<StoredSchedule | null> {
    return this.ops.getSchedule(name)
  }
  putSchedule(schedule: Omit<StoredSchedule, 'updatedAt'>): Promise<void> {
    return this.ops.putSchedule(schedule)
  }
  deleteSchedule(name: string): Promise<boolean> {
    return this.ops.deleteSchedule(name)
  }
  saveScheduleState(name: string, state: ScheduleState): Promise<void> {
    return this.ops.saveScheduleState(name, state)
  }
  acquireLock(name: string, token: string, ttlMs: number): Promise<boolean> {
    return this.ops.acquireLock(name, token, ttlMs)
  }
  releaseLock(name: string, token: string): Promise<void> {
    return this.ops.releaseLock(name, token)
  }
  heartbeat(info: WorkerInfo): Promise<void> {
    return this.ops.heartbeat(info)
  }
  pollControl(worker: string, afterSeq: number): Promise<ControlMessage[]> {
    return this.ops.pollControl(worker, afterSeq)
  }
  replyControl(reply: Omit<ControlReply, 'at'>): Promise<void> {
    return this.ops.replyControl(reply)
  }

  listTasks(query: TaskQuery): Promise<TaskPage> {
    return this.ops.listTasks(query)
  }
  readEvents(after: string | null, limit: number): Promise<BrokerEvent[]> {
    return this.ops.readEvents(after, limit)
  }
  taskEvents(id: string): Promise<BrokerEvent[]> {
    return this.ops.taskEvents(id)
  }
  ping(): Promise<void> {
    return this.ops.ping()
  }
  queueStats(): Promise<QueueStats[]> {
    return this.ops.queueStats()
  }
  listWorkers(offlineAfterMs: number): Promise<WorkerStatus[]> {
    return this.ops.listWorkers(offlineAfterMs)
  }
  pruneWorkers(olderThanMs: number): Promise<number> {
    return this.ops.pruneWorkers(olderThanMs)
  }
  listDead(queue?: string, limit?: number): Promise<TaskResult[]> {
    return this.ops.listDead(queue, limit)
  }
  requeueDead(id: string): Promise<boolean> {
    return this.ops.requeueDead(id)
  }
  purge(queue: string): Promise<number> {
    return this.ops.purge(queue)
  }
  sendControl(command: ControlCommand, target: string | null, args?: Record<string, Json>): Promise<number> {
    return this.ops.sendControl(command, target, args)
  }
  readReplies(seq: number): Promise<ControlReply[]> {
    return this.ops.readReplies(seq)
  }
  cleanup(eventsOlderThanMs: number): Promise<{ results: number; events: number }> {
    return this.ops.cleanup(eventsOlderThanMs)
  }
}

export function createUpstashBroker(options: UpstashBrokerOptions): UpstashBroker {
  return new UpstashBroker(options)
}
