import type { Broker, ExtendOutcome, Lease, Settlement } from '../brokers/broker.ts'
import type { Clock } from '../core/clock.ts'
import { LeaseLostError, TaskRevokedError } from '../core/errors.ts'
import type { Json } from '../core/json.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { EnqueueFromTask } from '../core/task.ts'
import { type ExecutionOutcome, executeTask } from './execute-task.ts'
import { followWorkflow, type WorkflowFollower } from './follow-workflow.ts'
import { logOutcome } from './log-outcome.ts'
import type { RateBucket, RateGate } from './rate-gate.ts'
import { newRunningTask, type RunningTask } from './running-task.ts'
import type { SettleBatcher } from './settle-batcher.ts'
import type { TimeLimitOverrides } from './time-limit-overrides.ts'
import { toSettlement } from './to-settlement.ts'
import { isFromNewerProtocol, versionSkewSettlement } from './version-skew.ts'
import type { WorkerStats } from './worker-stats.ts'

export interface SlotDeps {
  broker: Broker
  registry: TaskRegistry
  batcher: SettleBatcher
  rateGate: RateGate
  /** `control time_limit` overrides, applied to each message as it starts. */
  timeLimits: TimeLimitOverrides
  stats: WorkerStats
  clock: Clock
  log: Logger
  concurrency: number
  /** Write STARTED before each task runs (Celery's task_track_started). */
  trackStarted: boolean
  /** How long a too-new message is parked before it is offered again. */
  skewDelayMs: number
  /** Called when a slot frees: the reserve loop fetches again at once. */
  onSlotFree: () => void
  /** What a running task's ctx.enqueue stores through. */
  enqueue: EnqueueFromTask
  /** Moves a workflow on when one of its members ends (see WorkflowRunner). */
  workflows: WorkflowFollower
}

/**
 * The worker's async concurrency slots: leases reserved and waiting for a slot (prefetch), the
 * tasks running in slots, and what happens to them when the broker reports a revoke or a lost
 * lease. Outcomes go to the settle batcher; the slot is free as soon as the outcome is known.
 */
export class TaskSlots {
  readonly running = new Map<string, RunningTask>()
  readonly waiting: Lease[] = []
  private idleWaiters: (() => void)[] = []

  constructor(private readonly deps: SlotDeps) {}

  /** How many more leases to reserve: free slots plus the prefetch allowance. */
  wanted(prefetch: number): number {
    return this.deps.concurrency + prefetch - this.running.size - this.waiting.length
  }

  /** Takes reserved leases; starts them when `start`, else only holds them (for a release). */
  accept(leases: Lease[], start: boolean): void {
    for (const lease of leases) this.waiting.push(lease)
    if (start) this.fill()
  }

  /** Every lease this worker holds, for renewal. */
  held(): Lease[] {
    const leases = this.waiting.slice()
    for (const task of this.running.values()) leases.push(task.lease)
    return leases
  }

  /** Gives waiting leases back at once, not counted as attempts (graceful shutdown). */
  releaseWaiting(): void {
    for (const lease of this.waiting.splice(0))
      this.deps.batcher.add({ kind: 'release', lease, started: false })
  }

  /** Stops every running task now; their outcomes become releases (started: true). */
  abortAll(reason: Error): void {
    for (const task of this.running.values()) {
      task.interrupt.stop(reason)
      task.interrupt.kill(reason)
    }
  }

  /** Stops every held task because its lease is presumed lost: nothing of theirs is recorded. */
  abandonAll(reason: LeaseLostError): void {
    this.deps.log.warn('lease renewal failing for a whole lease period; stopping held tasks', {
      running: this.running.size,
      waiting: this.waiting.length,
    })
    this.waiting.splice(0)
    this.abortAll(reason)
  }

  whenIdle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Acts on lease renewal results: revokes and lost leases. */
  applyExtensions(outcomes: ExtendOutcome[]): void {
    for (const outcome of outcomes) {
      const task = this.running.get(outcome.id)
      if (task) this.applyToRunning(task, outcome)
      else if (!outcome.ok || outcome.revoked) this.dropWaiting(outcome)
    }
  }

  private applyToRunning(task: RunningTask, outcome: ExtendOutcome): void {
    if (!outcome.ok) {
      this.deps.log.warn('lease lost while running; aborting, its outcome will not be recorded', {
        id: task.lease.id,
        task: task.lease.message.task,
      })
      const reason = new LeaseLostError(task.lease.id)
      task.interrupt.stop(reason)
      task.interrupt.kill(reason)
    } else if (outcome.revoked?.terminate) {
      const reason = new TaskRevokedError('terminated')
      task.interrupt.stop(reason)
      task.interrupt.kill(reason)
    }
    // A plain revoke only keeps a task from starting (Celery's meaning): one already running ends
    // as it would have, and only `terminate` stops it.
  }

  private dropWaiting(outcome: ExtendOutcome): void {
    const i = this.waiting.findIndex((l) => l.id === outcome.id)
    const lease = this.waiting[i]
    if (!lease) return
    this.waiting.splice(i, 1)
    if (outcome.ok && outcome.revoked) this.deps.batcher.add({ kind: 'revoked', lease, reason: 'revoked' })
    else this.deps.log.warn('lease lost before the task started', { id: lease.id, task: lease.message.task })
  }

  private fill(): void {
    while (this.running.size < this.deps.concurrency) {
      const lease = this.waiting.shift()
      if (!lease) return
      this.start(lease)
    }
  }

  private start(lease: Lease): void {
    if (isFromNewerProtocol(lease)) {
      this.deps.log.warn('message from a newer protocol; parked for a newer worker', {
        id: lease.id,
        v: lease.message.v,
      })
      this.deps.batcher.add(versionSkewSettlement(lease, this.deps.clock.now(), this.deps.skewDelayMs))
      return
    }
    const task = newRunningTask(lease, this.deps.clock.now())
    this.running.set(lease.id, task)
    const buckets = this.deps.rateGate.bucketsFor(lease.message)
    void (buckets.length > 0 ? this.executeWithin(task, buckets) : this.execute(task))
  }

  /**
   * Holds the slot while asking the shared buckets (the task's, then its key's); a denied task
   * goes back for later, uncounted. A token taken from the first when the second denies is spent.
   */
  private async executeWithin(task: RunningTask, buckets: RateBucket[]): Promise<void> {
    let wait = 0
    try {
      for (const bucket of buckets) {
        wait = await this.deps.rateGate.waitFor(bucket)
        if (wait > 0) break
      }
    } catch (err) {
      this.deps.log.warn('rate limit check failed; putting the task back', {
        id: task.lease.id,
        error: String(err),
      })
      wait = 1_000
    }
    if (wait === 0 && !task.interrupt.killed) return this.execute(task)
    this.vacate(task, {
      kind: 'release',
      lease: task.lease,
      started: false,
      at: this.deps.clock.now() + wait,
    })
  }

  private async execute(task: RunningTask): Promise<void> {
    const { lease } = task
    const parent = this.deps.log
    let log: Logger | null = null
    let outcome: ExecutionOutcome
    if (this.deps.trackStarted) await this.markStarted(task)
    try {
      outcome = await executeTask(this.deps.registry, {
        message: this.deps.timeLimits.apply(lease.message),
        attempt: lease.attempt,
        retries: lease.retries,
        redelivered: lease.redelivered,
        interrupt: task.interrupt,
        clock: this.deps.clock,
        // Built on first use (most tasks never log).
        get log() {
          log ??= parent.child({ task: lease.message.task, id: lease.id })
          return log
        },
        progress: (meta) => this.progress(task, meta),
        enqueue: this.deps.enqueue,
      })
    } catch (err) {
      // The executor turns task errors into outcomes; reaching here is a worker bug, never a lost task.
      this.deps.log.error('executor failed; releasing the task', { id: lease.id, error: String(err) })
      outcome = { kind: 'abandoned', reason: err }
    }
    if (lease.message.workflow) outcome = await this.followWorkflow(lease, outcome)
    this.finish(task, outcome)
  }

  /**
   * A workflow member's successors are enqueued before its own outcome is recorded: if that
   * fails (broker down), the member goes back to run again rather than end with nothing after it.
   */
  private async followWorkflow(lease: Lease, outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
    try {
      return await followWorkflow(this.deps.workflows, lease.message, outcome)
    } catch (err) {
      this.deps.log.warn('could not move its workflow on; the task will run again', {
        id: lease.id,
        error: String(err),
      })
      return outcome.kind === 'ack' ? { kind: 'abandoned', reason: err } : outcome
    }
  }

  private finish(task: RunningTask, outcome: ExecutionOutcome): void {
    this.deps.stats.count(outcome)
    logOutcome(this.deps.log, task.lease, outcome)
    this.vacate(task, toSettlement(task.lease, outcome))
  }

  /** Frees the task's slot, records its settlement (if any) and lets the next task in. */
  private vacate(task: RunningTask, settlement: Settlement | null): void {
    this.running.delete(task.lease.id)
    if (settlement) this.deps.batcher.add(settlement)
    this.fill()
    if (this.running.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve()
    this.deps.onSlotFree()
  }

  /** STARTED, for those who watch states; a failed write is logged and the task runs anyway. */
  private async markStarted(task: RunningTask): Promise<void> {
    try {
      const outcome = await this.deps.broker.setState(task.lease, 'STARTED')
      if (outcome === 'lease_lost') this.applyToRunning(task, { id: task.lease.id, ok: false, revoked: null })
    } catch (err) {
      this.deps.log.warn('could not record STARTED', { id: task.lease.id, error: String(err) })
    }
  }

  private async progress(task: RunningTask, meta: Json): Promise<void> {
    if (task.interrupt.killed) return
    const outcome = await this.deps.broker.setState(task.lease, 'PROGRESS', meta)
    if (outcome === 'lease_lost') this.applyToRunning(task, { id: task.lease.id, ok: false, revoked: null })
  }
}
