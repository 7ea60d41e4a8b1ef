import type { Clock } from '../../core/clock.ts'
import type { Json } from '../../core/json.ts'
import type { Logger } from '../../core/logger.ts'
import type { TaskMessage } from '../../core/message.ts'
import type { RateLimit } from '../../core/rate-limit.ts'
import type { TaskResult } from '../../core/result.ts'
import type { ScheduleState } from '../../core/schedule-entry.ts'
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
import { EventLog } from './event-log.ts'
import { RedisKeys } from './keys.ts'
import { KnownQueues } from './known-queues.ts'
import type { RedisTransport } from './redis-commands.ts'
import type { RedisContext } from './redis-context.ts'
import { createRedisOperations, type RedisOperations } from './redis-operations.ts'

const HOUR_MS = 3600 * 1000

/** What both Redis-protocol engines (ioredis, Upstash over HTTP) are configured with. */
export interface RedisEngineSettings {
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

export function createRedisContext(s: RedisEngineSettings): RedisContext {
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
 * The broker interface over the Redis operation modules and Lua scripts: shared by the Redis and
 * Upstash engines, which differ only in transport, capabilities and how they close.
 */
export abstract class RedisOpsBroker implements BrokerEngine {
  abstract readonly engine: string
  abstract readonly capabilities: BrokerCapabilities
  readonly keys: RedisKeys
  protected readonly ctx: RedisContext
  protected readonly ops: RedisOperations

  constructor(settings: RedisEngineSettings) {
    this.ctx = createRedisContext(settings)
    this.keys = this.ctx.keys
    this.ops = createRedisOperations(this.ctx)
  }

  abstract close(): Promise<void>

  enqueue(messages: TaskMessage[], options?: EnqueueOptions): Promise<EnqueueOutcome[]> {
    return this.ops.enqueue(messages, options)
  }
  reserve(request: ReserveRequest): Promise<Lease[]> {
    return this.ops.reserve(request)
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
}
