import { hostname } from 'node:os'
import type { Broker } from '../brokers/broker.ts'
import { type Config, DEFAULT_CONFIG } from '../config/config-schema.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import { type Logger, silentLogger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'

export interface WorkerOptions {
  broker: Broker
  registry: TaskRegistry
  queues: string[]
  concurrency: number
  /** Unique per worker: control commands and heartbeats are addressed by it. */
  name?: string
  clock?: Clock
  log?: Logger
  version?: string
  /** Lease duration; renewed while a task runs. Default: the config's (30 s). */
  leaseMs?: number
  /** Drain budget on stop for running tasks. Default: the config's (30 s). */
  graceMs?: number
  /** Heartbeat and control poll interval. Default: the config's (1 s). */
  heartbeatMs?: number
  /** Longest idle sleep between empty reserves. Default 100 ms. */
  pollMs?: number
  /** Extra tasks reserved beyond free slots. Default 0: fetch only when a slot is free. */
  prefetch?: number
  /** Deliveries lost to dead workers before a task is dead-lettered. Default 3. */
  maxRedeliveries?: number
  /** With a free slot and no successful reserve for this long, the consumer loop restarts. Default 30 s. */
  watchdogMs?: number
  /** Above this RSS the worker drains and exits with code 3. */
  maxMemoryMb?: number
  /** After this many finished tasks the worker drains and exits with code 4 (Celery's max_tasks_per_child). */
  maxTasks?: number
  /** Celery's task_track_started: write STARTED when a task starts (one more write per task). Default false. */
  trackStarted?: boolean
  /** The process's config, which `inspect conf` shows (redacted by the worker). Default: none. */
  config?: Config
}

export type ResolvedWorkerOptions = Required<Omit<WorkerOptions, 'maxMemoryMb' | 'maxTasks' | 'config'>> & {
  maxMemoryMb: number | null
  maxTasks: number | null
  config: Config | null
}

let workersInProcess = 0

/** Celery-style `celeriac@host.pid`, with a counter when one process runs several workers. */
export function defaultWorkerName(): string {
  workersInProcess++
  const base = `celeriac@${hostname()}.${process.pid}`
  return workersInProcess === 1 ? base : `${base}.${workersInProcess}`
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`worker: ${name} must be a positive number (got ${value})`)
  return value
}

/** Fills defaults and checks numbers; returns a new object (the caller's is never mutated). */
export function resolveWorkerOptions(o: WorkerOptions): Readonly<ResolvedWorkerOptions> {
  if (o.queues.length === 0) throw new Error('worker: at least one queue is required')
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) {
    throw new Error(`worker: concurrency must be a positive integer (got ${o.concurrency})`)
  }
  const prefetch = o.prefetch ?? 0
  if (!Number.isInteger(prefetch) || prefetch < 0)
    throw new Error(`worker: prefetch must be >= 0 (got ${prefetch})`)
  return Object.freeze({
    broker: o.broker,
    registry: o.registry,
    queues: [...o.queues],
    concurrency: o.concurrency,
    name: o.name ?? defaultWorkerName(),
    clock: o.clock ?? systemClock,
    log: o.log ?? silentLogger,
    version: o.version ?? '0.0.0',
    leaseMs: positive('leaseMs', o.leaseMs ?? DEFAULT_CONFIG.leaseMs),
    graceMs: o.graceMs ?? DEFAULT_CONFIG.graceMs,
    heartbeatMs: positive('heartbeatMs', o.heartbeatMs ?? DEFAULT_CONFIG.heartbeatMs),
    pollMs: positive('pollMs', o.pollMs ?? 100),
    watchdogMs: positive('watchdogMs', o.watchdogMs ?? 30_000),
    prefetch,
    maxRedeliveries: o.maxRedeliveries ?? 3,
    maxMemoryMb: o.maxMemoryMb ?? null,
    maxTasks: o.maxTasks === undefined ? null : positive('maxTasks', o.maxTasks),
    trackStarted: o.trackStarted ?? false,
    config: o.config ?? null,
  })
}
