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
import { connect, type RedisClient, type RedisConnections } from './connect.ts'
import { EventLog } from './event-log.ts'
import { RedisKeys } from './keys.ts'
import { KnownQueues } from './known-queues.ts'
import type { RedisContext } from './redis-context.ts'
import { createRedisOperations, type RedisOperations } from './redis-operations.ts'
import { parseRedisUrl } from './redis-url.ts'

export interface RedisBrokerOptions {
  /** `redis://[user:pass@]host:port/db`, `rediss://...`, `redis+cluster://host:port,host:port`. */
  url: string
  clock: Clock
  /** Key prefix (default: the URL's `?prefix=`, else 'celeriac'). */
  prefix?: string
  resultTtlMs?: number
  deadTtlMs?: number
  controlTtlMs?: number
  /** How long a silent worker stays listed (default 24 h). */
  workerTtlMs?: number
  /** A command with no reply after this long fails (default 5 s). */
  commandTimeoutMs?: number
  log?: Logger
}

const HOUR_MS = 3600 * 1000

/**
 * Redis and Redis Cluster engine over ioredis. A thin delegator: every operation is a module, and
 * every multi-key step one Lua script in lua/ touching one queue's slot.
 */
export class RedisBroker implements BrokerEngine {
  readonly engine = 'redis'
  readonly capabilities: BrokerCapabilities = { blockingReserve: true, singleHost: false }
  /** The command connection, for start-up checks and tests; operations never hand it out. */
  readonly client: RedisClient
  readonly keys: RedisKeys
  private readonly conn: RedisConnections
  private readonly ctx: RedisContext
  private readonly ops: RedisOperations
  private closed = false

  constructor(options: RedisBrokerOptions) {
    const target = parseRedisUrl(options.url)
    const log = options.log ?? silentLogger
    const conn = connect(target, options.commandTimeoutMs ?? 5_000)
    // Errors surface on the commands that hit them; the 'error' event alone would only be noise.
    for (const c of [conn.client, conn.blocking])
      c.on('error', (err: Error) => log.debug('redis connection error', { error: err.message }))
    this.client = conn.client
    this.conn = conn
    this.keys = new RedisKeys(options.prefix ?? target.prefix)
    this.ctx = {
      conn,
      keys: this.keys,
      clock: options.clock,
      cluster: target.mode === 'cluster',
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
  persistence(): Promise<Record<string, Json>> {
    return this.ops.persistence()
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
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ctx.events.flush()
    this.conn.blocking.disconnect()
    await this.conn.client.quit().catch(() => this.conn.client.disconnect())
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

export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBroker(options)
}
