import type { Broker } from '../brokers/broker.ts'
import { Client } from '../client/client.ts'
import { WorkflowRunner } from '../client/workflows/workflow-runner.ts'
import type { Clock } from '../core/clock.ts'
import { LeaseLostError } from '../core/errors.ts'
import { every, type Periodic } from '../core/every.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import { ControlHandler } from './control-handler.ts'
import { ShutdownSignal } from './execute-task.ts'
import { Heartbeat } from './heartbeat.ts'
import { RateGate } from './rate-gate.ts'
import { ReserveLoop } from './reserve-loop.ts'
import { SettleBatcher } from './settle-batcher.ts'
import { TaskSlots } from './task-slots.ts'
import { TimeLimitOverrides } from './time-limit-overrides.ts'
import { type ResolvedWorkerOptions, resolveWorkerOptions, type WorkerOptions } from './worker-options.ts'
import { WorkerStats } from './worker-stats.ts'

export type { WorkerOptions } from './worker-options.ts'

export type WorkerExit = { code: number; reason: 'stopped' | 'control' | 'max_memory' | 'max_tasks' }

/**
 * The consumer role: reserve → execute → settle, with async slots, batched settlements, lease
 * renewal, crash recovery, heartbeats and control, and a graceful drain. This class only wires
 * those parts together and runs the lifecycle; each part lives in its own module.
 */
export class Worker {
  readonly name: string
  readonly done: Promise<WorkerExit>
  private readonly o: Readonly<ResolvedWorkerOptions>
  private readonly log: Logger
  private readonly stats = new WorkerStats()
  private readonly batcher: SettleBatcher
  private readonly slots: TaskSlots
  private readonly loop: ReserveLoop
  private readonly heartbeat: Heartbeat
  private readonly rateGate: RateGate
  /** Last time the broker confirmed our leases: past leaseMs without one, they may be gone. */
  private renewedAt = 0
  private timers: Periodic[] = []
  /** Set by the watchdog while the reserve loop looks stuck: readiness reads it. */
  private stalled = false
  private state: 'new' | 'running' | 'draining' = 'new'
  private resolveDone!: (exit: WorkerExit) => void

  constructor(options: WorkerOptions) {
    this.o = resolveWorkerOptions(options)
    this.name = this.o.name
    this.log = this.o.log.child({ worker: this.name })
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve
    })
    const { broker, registry, clock, concurrency, leaseMs } = this.o
    this.batcher = new SettleBatcher(broker, this.log, this.o.pollMs)
    this.rateGate = new RateGate(broker, registry)
    const timeLimits = new TimeLimitOverrides()
    this.slots = new TaskSlots({
      ...{ broker, registry, clock, concurrency, stats: this.stats, batcher: this.batcher, log: this.log },
      rateGate: this.rateGate,
      timeLimits,
      trackStarted: this.o.trackStarted,
      skewDelayMs: leaseMs,
      ...tasksProducer(broker, registry, clock),
      onSlotFree: () => {
        this.loop.waker.wakeSoon()
        const { maxTasks } = this.o
        if (maxTasks !== null && this.stats.processed >= maxTasks && this.state === 'running') {
          this.log.info('max tasks reached; draining', { maxTasks })
          void this.shutdown({ code: 4, reason: 'max_tasks' })
        }
      },
    })
    this.loop = new ReserveLoop({ ...this.o, slots: this.slots, log: this.log })
    this.heartbeat = new Heartbeat({
      options: this.o,
      slots: this.slots,
      stats: this.stats,
      startedAt: clock.now(),
      isDraining: () => this.state === 'draining',
      control: new ControlHandler({ registry, rateGate: this.rateGate, timeLimits, config: this.o.config }),
      onShutdown: () => void this.shutdown({ code: 0, reason: 'control' }),
      onMaxMemory: (rss) => this.onMaxMemory(rss),
    })
  }

  /** Announces the worker, recovers expired leases once, then consumes until stopped. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`worker ${this.name}: already started`)
    this.state = 'running'
    this.renewedAt = this.o.clock.now()
    const { broker, leaseMs, heartbeatMs, maxRedeliveries, queues, concurrency } = this.o
    const onError = (what: string) => (err: unknown) =>
      this.log.error(`${what} failed`, { error: String(err) })
    await this.heartbeat.beat().catch(onError('heartbeat'))
    this.log.info('worker online', { queues, concurrency, engine: broker.engine })
    const recover = async () => this.logRecovery(await broker.recoverExpired(maxRedeliveries))
    await recover().catch(onError('recoverExpired'))
    // A control shutdown or the memory check may already have started a drain.
    if (this.state !== 'running') return
    this.timers = [
      every(heartbeatMs, () => this.heartbeat.beat(), onError('heartbeat')),
      // Renewal also reports revokes of running tasks, so it runs at least every heartbeat.
      every(Math.min(leaseMs / 3, heartbeatMs), () => this.renew(), onError('lease renewal')),
      every(leaseMs / 2, recover, onError('recoverExpired')),
    ]
    this.timers.push(
      every(Math.min(this.o.watchdogMs / 3, 5_000), async () => this.watchdog(), onError('watchdog')),
    )
    void this.loop.start()
  }

  /** Readiness: started, not draining, and actually consuming (the reserve loop is not stuck). */
  get ready(): boolean {
    return this.state === 'running' && !this.stalled
  }

  /**
   * The most reported failure of Celery and BullMQ workers is a consumer that silently stops
   * while the process lives on. With a free slot, a reserve round trip should succeed every
   * second or so; if none has for watchdogMs, mark the worker not ready and restart the loop.
   */
  private watchdog(): void {
    const silentMs = this.o.clock.now() - this.loop.lastSuccessAt
    const hasFreeSlot = this.slots.wanted(this.o.prefetch) > 0
    if (!hasFreeSlot || silentMs < this.o.watchdogMs) {
      this.stalled = false
      return
    }
    this.stalled = true
    this.log.warn('no reserve round trip succeeded with a free slot; restarting the consumer loop', {
      silentMs,
    })
    this.loop.restart()
  }

  /** Graceful stop: resolves when the drain is over. */
  stop(): Promise<WorkerExit> {
    return this.shutdown({ code: 0, reason: 'stopped' })
  }

  private async renew(): Promise<void> {
    const leases = this.slots.held()
    const now = this.o.clock.now()
    if (leases.length === 0) {
      this.renewedAt = now
      return
    }
    try {
      this.slots.applyExtensions(await this.o.broker.extendLeases(leases, this.o.leaseMs))
      this.renewedAt = now
    } catch (err) {
      // Unable to renew for a whole lease, our leases may have expired and been taken over:
      // stop the tasks rather than race another worker (fencing would void their outcome anyway).
      if (now - this.renewedAt >= this.o.leaseMs) this.slots.abandonAll(new LeaseLostError('(all held)'))
      throw err
    }
  }

  private logRecovery(outcome: { requeued: string[]; dead: string[] }): void {
    if (outcome.requeued.length > 0)
      this.log.warn('recovered tasks of lost workers', { ids: outcome.requeued })
    if (outcome.dead.length > 0) this.log.error('tasks lost too often; dead-lettered', { ids: outcome.dead })
  }

  private onMaxMemory(rssBytes: number): void {
    const rssMb = Math.round(rssBytes / 1024 / 1024)
    this.log.warn('memory above limit; draining', { rssMb, maxMemoryMb: this.o.maxMemoryMb })
    void this.shutdown({ code: 3, reason: 'max_memory' })
  }

  private shutdown(exit: WorkerExit): Promise<WorkerExit> {
    if (this.state === 'draining') return this.done
    const wasRunning = this.state === 'running'
    this.state = 'draining'
    if (wasRunning) void this.drain(exit)
    else this.resolveDone(exit)
    return this.done
  }

  /** Graceful stop: no more fetching, unstarted work handed back, running work given graceMs, then released. */
  private async drain(exit: WorkerExit): Promise<void> {
    this.log.info('worker draining', { reason: exit.reason, running: this.slots.running.size })
    this.loop.stop()
    await this.loop.finished()
    this.slots.releaseWaiting()
    const [heartbeat, renew, recover, watchdog] = this.timers
    // Every timer ends with the drain: one left running keeps the caller's process alive.
    await watchdog?.stop()
    await recover?.stop()
    void heartbeat?.runNow()
    if (!(await this.idleWithin(this.o.graceMs))) {
      this.log.warn('grace period over; releasing running tasks', { running: this.slots.running.size })
      this.slots.abortAll(new ShutdownSignal('worker shutting down'))
      await this.slots.whenIdle()
    }
    await this.batcher.drained()
    await renew?.stop()
    await heartbeat?.stop()
    await this.o.broker
      .heartbeat(this.heartbeat.info())
      .catch((err) => this.log.warn('final heartbeat failed', { error: String(err) }))
    this.log.info('worker stopped', { reason: exit.reason, code: exit.code, processed: this.stats.processed })
    this.resolveDone(exit)
  }

  private async idleWithin(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    const idle = await Promise.race([this.slots.whenIdle().then(() => true), timeout])
    clearTimeout(timer)
    return idle
  }
}

export function createWorker(options: WorkerOptions): Worker {
  return new Worker(options)
}

/** What running tasks enqueue through: ctx.enqueue, and their workflows' next members. */
function tasksProducer(broker: Broker, registry: TaskRegistry, clock: Clock) {
  const client = new Client({ broker, registry, clock })
  return { enqueue: client.fromTask, workflows: new WorkflowRunner(client, broker) }
}
