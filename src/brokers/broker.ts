import type { Json } from '../core/json.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskMessage } from '../core/message.ts'
import type { RateLimit } from '../core/rate-limit.ts'
import type { DeadReason, TaskErrorInfo, TaskResult } from '../core/result.ts'
import type { ScheduleEntry, ScheduleState } from '../core/schedule-entry.ts'
import type { TaskState } from '../core/states.ts'

/**
 * The broker boundary. Everything that touches storage goes through these two interfaces:
 * `Broker` is the hot path the worker, producers and beat use; `BrokerAdmin` is read-mostly
 * inspection and operator actions for the CLI, API and dashboard. Every engine implements both
 * and passes test/brokers/conformance.ts unchanged. Time always comes from the engine's injected
 * clock; no engine reads the system time itself.
 */

export interface BrokerCapabilities {
  /** reserve() can wait server-side for work (Redis BLMOVE-style); otherwise the worker polls. */
  readonly blockingReserve: boolean
  /**
   * Without blockingReserve: the longest idle sleep the engine asks for between empty reserves
   * (engines billed per request poll less often). The worker uses the larger of this and pollMs.
   */
  readonly idlePollMs?: number
  /**
   * Enqueues that arrive together are stored in batches of at most this many, each sent as soon
   * as it is full: an engine that pipelines (one TCP connection) stores one batch while the
   * producer builds the next. Absent: one batch per event-loop turn (a durable engine's fsync, an
   * HTTP engine's request, is paid once per turn).
   */
  readonly enqueueChunk?: number
  /**
   * A worker with a backlog may claim its free slots as two claims sent together: an engine that
   * pipelines (one TCP connection) serves the second while the worker runs the tasks of the first.
   * Absent: one claim at a time (each a durable transaction, or an HTTP request, of its own).
   */
  readonly pipelinedClaims?: boolean
}

export interface EnqueueOptions {
  /** How long an idempotency key maps to its first task id, in ms (default 24 h). */
  idempotencyWindowMs?: number
}

export interface EnqueueOutcome {
  id: string
  /** false when an idempotency key matched an earlier task: `id` is that task's id. */
  created: boolean
}

export interface ReserveRequest {
  /** Queues in the order given; within them, higher priority first, then older first. */
  queues: string[]
  /** Upper bound on leases returned (the worker's free slots). */
  max: number
  /** Lease duration in ms; the worker extends it while the task runs. */
  leaseMs: number
  worker: string
  /** Engines with blockingReserve may wait up to this long for work; others ignore it. */
  waitMs?: number
}

/** A claimed task: the unit of work. Only the holder of `token` can settle or extend it. */
export interface Lease {
  id: string
  token: string
  message: TaskMessage
  /** 1-based number of this execution (attempts started so far, this one included). */
  attempt: number
  /** Retries already taken (the retry policy's counter). */
  retries: number
  /** True when an earlier delivery was lost (its worker died or its lease expired). */
  redelivered: boolean
  expiresAt: number
}

export type Settlement =
  | { kind: 'ack'; lease: Lease; result: Json | null; runtimeMs: number }
  | { kind: 'retry'; lease: Lease; at: number; error: TaskErrorInfo }
  | { kind: 'fail'; lease: Lease; error: TaskErrorInfo; reason: DeadReason; runtimeMs: number | null }
  | { kind: 'revoked'; lease: Lease; reason: string }
  /**
   * Hand back without counting a retry: ready at once (shutdown, prefetch return) or at `at`
   * (rate limited, message from a newer protocol). `started: false` also uncounts the attempt.
   */
  | { kind: 'release'; lease: Lease; started: boolean; at?: number }

/**
 * ok: recorded. already_settled: this same lease recorded an outcome earlier (a resend after a
 * reply was lost); nothing was written now. lease_lost: the token no longer holds the task and
 * never settled it; nothing was written.
 */
export type SettleOutcome = 'ok' | 'already_settled' | 'lease_lost'

export interface ExtendOutcome {
  id: string
  ok: boolean
  /** The task was revoked meanwhile; `terminate` says whether to stop it at once. */
  revoked: null | { terminate: boolean }
}

export interface WorkerInfo {
  name: string
  host: string
  pid: number
  queues: string[]
  concurrency: number
  startedAt: number
  processed: number
  failed: number
  succeeded: number
  retried: number
  rssBytes: number
  /** Ids of tasks executing now. */
  active: { id: string; task: string; startedAt: number; attempt: number }[]
  /** Ids reserved by this worker and not yet started. */
  reserved: { id: string; task: string }[]
  registered: string[]
  version: string
  status: 'online' | 'draining'
}

export interface WorkerStatus extends WorkerInfo {
  lastHeartbeat: number
  online: boolean
}

/**
 * `rate_limit` args: `{ task, limit }` with limit like '100/s', or null to clear the override.
 * `time_limit` args: `{ task, soft, hard }` in seconds, 0 for none. `conf` replies with the
 * worker's config, redacted.
 */
export const CONTROL_COMMANDS = ['ping', 'shutdown', 'rate_limit', 'time_limit', 'conf'] as const
export type ControlCommand = (typeof CONTROL_COMMANDS)[number]

export interface ControlMessage {
  seq: number
  command: ControlCommand
  /** null: every worker. */
  target: string | null
  args: Record<string, Json>
  createdAt: number
}

export interface ControlReply {
  seq: number
  worker: string
  reply: Json
  at: number
}

export const EVENT_TYPES = [
  'task:enqueued',
  'task:received',
  'task:started',
  'task:progress',
  'task:retried',
  'task:succeeded',
  'task:failed',
  'task:revoked',
  'task:released',
  'task:recovered',
  'task:requeued',
  'worker:online',
  'worker:offline',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface BrokerEvent {
  /** Opaque, ordered per broker (an SSE `Last-Event-ID`): resume a stream after it. */
  seq: string
  type: EventType
  at: number
  taskId: string | null
  task: string | null
  queue: string | null
  data: Json
}

export interface RecoverOutcome {
  /** Tasks whose lease expired and that went back to their queue. */
  requeued: string[]
  /** Tasks lost too often: FAILURE with reason worker_lost. */
  dead: string[]
}

/** A token bucket: `count` tokens per `perMs`, refilled continuously; bursts up to `count`. */
export interface Broker {
  readonly engine: string
  readonly capabilities: BrokerCapabilities

  /** Stores messages atomically as a batch; a matching live idempotency key returns the existing id. */
  enqueue(messages: TaskMessage[], options?: EnqueueOptions): Promise<EnqueueOutcome[]>

  /**
   * Claims up to `max` due tasks in one atomic step, each with a fresh lease. Revoked or expired
   * tasks met on the way are finalised as REVOKED and not returned.
   */
  reserve(request: ReserveRequest): Promise<Lease[]>

  /** Records outcomes, fenced by each lease's token; a SUCCESS is never overwritten. */
  settle(settlements: Settlement[]): Promise<SettleOutcome[]>

  /** Renews leases of running tasks and reports revocations of them. */
  extendLeases(leases: Lease[], leaseMs: number): Promise<ExtendOutcome[]>

  /** Marks a running task STARTED or PROGRESS (with meta); fenced by the lease. */
  setState(lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json): Promise<SettleOutcome>

  /** Returns tasks whose lease expired to their queue, or to the dead letters past `maxRedeliveries`. */
  recoverExpired(maxRedeliveries: number): Promise<RecoverOutcome>

  getResult(id: string): Promise<TaskResult | null>

  /** Revokes a task durably: a queued one will never run; a running one is reported by extendLeases. */
  revoke(id: string, options?: { terminate?: boolean }): Promise<void>

  /**
   * Takes one token from the bucket `key`, shared by every process on this broker (global rate
   * limits, per-token API limits). Returns 0 when granted, else the ms until a token is due.
   */
  acquireRate(key: string, limit: RateLimit): Promise<number>

  heartbeat(info: WorkerInfo): Promise<void>
  /** Control messages for `worker` newer than `afterSeq`. */
  pollControl(worker: string, afterSeq: number): Promise<ControlMessage[]>
  replyControl(reply: Omit<ControlReply, 'at'>): Promise<void>

  /**
   * Workflows (chain, group, chord): a member of group `group` (of `size` members) records its
   * result at `index`, once per index (a redelivered member records nothing new). Atomic: of
   * members finishing at the same instant on different workers, at least one sees the group
   * complete; from then on every call answers all results in index order, else null. Kept ttlMs.
   */
  joinGroup(group: string, index: number, size: number, result: Json, ttlMs: number): Promise<Json[] | null>
  /** Stores a workflow's planned tree (what GET /workflows/{id} shows), kept ttlMs. */
  putWorkflow(id: string, tree: Json, ttlMs: number): Promise<void>
  getWorkflow(id: string): Promise<Json | null>

  /**
   * Optional start-up checks of the server the engine talks to (Redis: maxmemory-policy,
   * persistence); throws to refuse a setting that would lose tasks.
   */
  verify?(options: { allowEviction: boolean; log: Logger }): Promise<void>

  close(): Promise<void>
}

export interface TaskQuery {
  state?: TaskState
  name?: string
  queue?: string
  since?: number
  until?: number
  /** Searched in the task name and its input text. */
  text?: string
  limit?: number
  /** Opaque: from the previous page's `nextCursor`. */
  cursor?: string
  /**
   * At most this many stored tasks are examined for one page (the engine's default when absent):
   * a filter that matches little returns what it found so far, `truncated`, with a cursor that
   * continues the scan, instead of reading the whole history in one request.
   */
  scanBudget?: number
}

export interface TaskPage {
  tasks: TaskResult[]
  /** Where the next page starts; null when the history is exhausted. */
  nextCursor: string | null
  /** The scan budget ran out before the page filled: more matches may lie past nextCursor. */
  truncated: boolean
}

/** Tasks one listTasks page holds when the query does not say, and at most. */
export const DEFAULT_LIST_LIMIT = 50
export const MAX_LIST_LIMIT = 1_000

/** Tasks one listTasks page examines when the query does not say (see TaskQuery.scanBudget). */
export const DEFAULT_SCAN_BUDGET = 10_000

export interface QueueStats {
  queue: string
  /** Due now and waiting. */
  waiting: number
  /** Waiting for an ETA or a retry time. */
  delayed: number
  active: number
  dead: number
  /** Age in ms of the oldest due task, null when none waits. */
  oldestAgeMs: number | null
}

/** A revocation the broker still remembers: the task will not start if it turns up. */
export interface Revocation {
  id: string
  /** When it was revoked (the latest time, if revoked more than once). */
  at: number
}

export interface BrokerAdmin {
  /** True when the engine runs on a setting allowed by the operator that can lose tasks (a metric shows it). */
  readonly unsafeConfig?: boolean
  listTasks(query: TaskQuery): Promise<TaskPage>
  /** Events after the one with seq `after` (null: from the oldest kept), oldest first, up to `limit`. */
  readEvents(after: string | null, limit: number): Promise<BrokerEvent[]>
  /** The events of one task, oldest first: its state history. */
  taskEvents(id: string): Promise<BrokerEvent[]>
  /** Resolves when the broker is reachable and writable; rejects otherwise (readiness). */
  ping(): Promise<void>
  queueStats(): Promise<QueueStats[]>
  listWorkers(offlineAfterMs: number): Promise<WorkerStatus[]>
  /** Forgets workers silent for longer than this. */
  pruneWorkers(olderThanMs: number): Promise<number>
  listDead(queue?: string, limit?: number): Promise<TaskResult[]>
  /** Puts a dead (or failed) task back on its queue with fresh counters; false if not dead. */
  requeueDead(id: string): Promise<boolean>
  /** Deletes waiting and delayed tasks of a queue; returns how many. */
  purge(queue: string): Promise<number>
  /** Revocations still remembered (until cleanup forgets them), newest first, at most `limit`. */
  listRevoked(limit: number): Promise<Revocation[]>
  sendControl(command: ControlCommand, target: string | null, args?: Record<string, Json>): Promise<number>
  readReplies(seq: number): Promise<ControlReply[]>
  /** Deletes results past their expiry and events older than `eventsOlderThanMs`. */
  cleanup(eventsOlderThanMs: number): Promise<{ results: number; events: number }>
  /**
   * Optional capability (checked by presence, so engines need not all have it): writes a
   * consistent copy of the store to `path`, a new file, while the broker keeps running. SQLite has
   * it (VACUUM INTO); maintenance.backup uses it.
   */
  backup?(path: string): Promise<{ bytes: number }>
  /**
   * Optional capability: how the engine persists its data (Redis: appendonly, fsync policy, last
   * save), reported by maintenance.backup on engines whose backups are made by the server itself.
   */
  persistence?(): Promise<Record<string, Json>>
}

/** What an engine module exports: one object with every face (beat's storage included). */
export type BrokerEngine = Broker & BrokerAdmin & ScheduleStore

export interface StoredSchedule {
  entry: ScheduleEntry
  state: ScheduleState
  /** 'config': loaded from the schedule file at start; 'store': created through the API or CLI. */
  source: 'config' | 'store'
  updatedAt: number
}

/**
 * Beat's storage: schedule entries with their run state, and named leases (beat's leader lock).
 * Part of every engine (BrokerEngine).
 */
export interface ScheduleStore {
  listSchedules(): Promise<StoredSchedule[]>
  getSchedule(name: string): Promise<StoredSchedule | null>
  /** Creates or replaces an entry with its state. */
  putSchedule(schedule: Omit<StoredSchedule, 'updatedAt'>): Promise<void>
  deleteSchedule(name: string): Promise<boolean>
  /** Updates only the run state (beat after a fire), leaving an entry edited meanwhile alone. */
  saveScheduleState(name: string, state: ScheduleState): Promise<void>
  /** Takes or renews the lease `name` for `token` until now + ttlMs; false while another token holds it. */
  acquireLock(name: string, token: string, ttlMs: number): Promise<boolean>
  releaseLock(name: string, token: string): Promise<void>
  /** The token holding the lease `name` now, or null when none does: a read, never a write. */
  lockHolder(name: string): Promise<string | null>
}
