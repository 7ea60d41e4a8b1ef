import type { Database } from 'bun:sqlite'
import type { Clock } from '../../core/clock.ts'
import type { Json } from '../../core/json.ts'
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
import { openDatabase, type SyncMode } from './open-database.ts'
import { createSqliteOperations, type SqliteOperations } from './sqlite-operations.ts'

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
}

const HOUR_MS = 3600 * 1000

/**
 * The embedded engine: one SQLite file in WAL mode, shared safely by every process on the host.
 * A thin delegator: each operation lives in its own module with its statements prepared once.
 */
export class SqliteBroker implements BrokerEngine {
  readonly engine = 'sqlite'
  readonly capabilities: BrokerCapabilities = { blockingReserve: false, singleHost: true }
  private readonly db: Database
  private readonly ops: SqliteOperations
  private closed = false

  constructor(options: SqliteBrokerOptions) {
    this.db = openDatabase(options.path, options.sync ?? 'full')
    this.ops = createSqliteOperations(this.db, {
      clock: options.clock,
      resultTtlMs: options.resultTtlMs ?? 24 * HOUR_MS,
      deadTtlMs: options.deadTtlMs ?? 7 * 24 * HOUR_MS,
      controlTtlMs: options.controlTtlMs ?? 5 * 60 * 1000,
    })
  }

  async enqueue(messages: TaskMessage[], options?: EnqueueOptions): Promise<EnqueueOutcome[]> {
    return this.ops.enqueue(messages, options)
  }
  async reserve(request: ReserveRequest): Promise<Lease[]> {
    return this.ops.reserve(request)
  }
  async settle(settlements: Settlement[]): Promise<SettleOutcome[]> {
    return this.ops.settle(settlements)
  }
  async extendLeases(leases: Lease[], leaseMs: number): Promise<ExtendOutcome[]> {
    return this.ops.extendLeases(leases, leaseMs)
  }
  async setState(lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json): Promise<SettleOutcome> {
    return this.ops.setState(lease, state, meta)
  }
  async recoverExpired(maxRedeliveries: number): Promise<RecoverOutcome> {
    return this.ops.recoverExpired(maxRedeliveries)
  }
  async getResult(id: string): Promise<TaskResult | null> {
    return this.ops.getResult(id)
  }
  async revoke(id: string, options?: { terminate?: boolean }): Promise<void> {
    this.ops.revoke(id, options)
  }
  async acquireRate(key: string, limit: RateLimit): Promise<number> {
    return this.ops.acquireRate(key, limit)
  }
  async heartbeat(info: WorkerInfo): Promise<void> {
    this.ops.heartbeat(info)
  }
  async pollControl(worker: string, afterSeq: number): Promise<ControlMessage[]> {
    return this.ops.pollControl(worker, afterSeq)
  }
  async replyControl(reply: Omit<ControlReply, 'at'>): Promise<void> {
    this.ops.replyControl(reply)
  }
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.db.close()
  }

  async listTasks(query: TaskQuery): Promise<TaskPage> {
    return this.ops.listTasks(query)
  }
  async readEvents(after: string | null, limit: number): Promise<BrokerEvent[]> {
    return this.ops.readEvents(after, limit)
  }
  async taskEvents(id: string): Promise<BrokerEvent[]> {
    return this.ops.taskEvents(id)
  }
  async ping(): Promise<void> {
    this.ops.ping()
  }
  async queueStats(): Promise<QueueStats[]> {
    return this.ops.queueStats()
  }
  async listWorkers(offlineAfterMs: number): Promise<WorkerStatus[]> {
    return this.ops.listWorkers(offlineAfterMs)
  }
  async pruneWorkers(olderThanMs: number): Promise<number> {
    return this.ops.pruneWorkers(olderThanMs)
  }
  async listDead(queue?: string, limit?: number): Promise<TaskResult[]> {
    return this.ops.listDead(queue, limit)
  }
  async requeueDead(id: string): Promise<boolean> {
    return this.ops.requeueDead(id)
  }
  async purge(queue: string): Promise<number> {
    return this.ops.purge(queue)
  }
  async sendControl(
    command: ControlCommand,
    target: string | null,
    args?: Record<string, Json>,
  ): Promise<number> {
    return this.ops.sendControl(command, target, args)
  }
  async readReplies(seq: number): Promise<ControlReply[]> {
    return this.ops.readReplies(seq)
  }
  async cleanup(eventsOlderThanMs: number): Promise<{ results: number; events: number }> {
    return this.ops.cleanup(eventsOlderThanMs)
  }
  async backup(path: string): Promise<{ bytes: number }> {
    return this.ops.backup(path)
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    return this.ops.listSchedules()
  }
  async getSchedule(name: string): Promise<StoredSchedule | null> {
    return this.ops.getSchedule(name)
  }
  async putSchedule(schedule: Omit<StoredSchedule, 'updatedAt'>): Promise<void> {
    this.ops.putSchedule(schedule)
  }
  async deleteSchedule(name: string): Promise<boolean> {
    return this.ops.deleteSchedule(name)
  }
  async saveScheduleState(name: string, state: ScheduleState): Promise<void> {
    this.ops.saveScheduleState(name, state)
  }
  async acquireLock(name: string, token: string, ttlMs: number): Promise<boolean> {
    return this.ops.acquireLock(name, token, ttlMs)
  }
  async releaseLock(name: string, token: string): Promise<void> {
    this.ops.releaseLock(name, token)
  }
}

export function createSqliteBroker(options: SqliteBrokerOptions): SqliteBroker {
  return new SqliteBroker(options)
}
