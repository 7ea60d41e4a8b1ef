import type { Broker, Lease } from '../brokers/broker.ts'
import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskSlots } from './task-slots.ts'
import { Waker } from './waker.ts'

/** First idle sleep; it doubles on each empty reserve up to pollMs (or the engine's idlePollMs). */
const MIN_IDLE_MS = 2
/** How long a blocking engine may hold a reserve: bounds how late a stop is noticed. */
const BLOCK_MS = 1_000
const MAX_ERROR_DELAY_MS = 5_000
/** Fewer free slots than this are claimed in one go: two claims' fixed costs would outweigh the overlap. */
const SPLIT_MIN = 8

export interface ReserveLoopDeps {
  broker: Broker
  clock: Clock
  slots: TaskSlots
  queues: string[]
  name: string
  leaseMs: number
  prefetch: number
  pollMs: number
  log: Logger
}

/**
 * Fetch-when-free: reserves only for free slots (plus prefetch), so a long task never holds
 * short ones hostage. Idle, it polls with backoff up to pollMs unless the engine can block;
 * a freed slot or a stop wakes it at once.
 */
export class ReserveLoop {
  readonly waker = new Waker()
  /** When a reserve round trip last succeeded (or the loop last started): the watchdog reads it. */
  lastSuccessAt: number
  private stopping = false
  private idleMs = MIN_IDLE_MS
  /** Idle backoff ceiling: pollMs, or the engine's own when larger (per-request billing). */
  private readonly maxIdleMs: number
  private errorMs: number
  /** The last claim filled every slot it asked for: the queue likely holds more. */
  private backlog = false
  private generation = 0
  private current: Promise<void> = Promise.resolve()

  constructor(private readonly deps: ReserveLoopDeps) {
    this.errorMs = deps.pollMs
    this.maxIdleMs = Math.max(deps.pollMs, deps.broker.capabilities.idlePollMs ?? 0)
    this.lastSuccessAt = deps.clock.now()
  }

  /** Starts consuming; resolves when the loop has stopped. */
  start(): Promise<void> {
    this.lastSuccessAt = this.deps.clock.now()
    this.current = this.run(this.generation)
    return this.finished()
  }

  /** Resolves when the running loop (the latest, after restarts) has stopped. */
  async finished(): Promise<void> {
    let seen: Promise<void> | null = null
    while (seen !== this.current) {
      seen = this.current
      await seen
    }
  }

  /**
   * Abandons a loop stuck on a call that never returns (a half-open connection) and starts a
   * fresh one. If the stuck call ever returns, its leases are still taken in, then it exits.
   */
  restart(): void {
    if (this.stopping) return
    this.generation++
    this.waker.wake()
    this.current = this.run(this.generation)
  }

  stop(): void {
    this.stopping = true
    this.waker.wake()
  }

  private async run(generation: number): Promise<void> {
    while (!this.stopping && generation === this.generation) {
      const want = this.deps.slots.wanted(this.deps.prefetch)
      if (want <= 0) {
        await this.waker.sleep(null)
        this.idleMs = MIN_IDLE_MS
        continue
      }
      const split =
        this.backlog && want >= SPLIT_MIN && this.deps.broker.capabilities.pipelinedClaims === true
      const got = split ? await this.claimInTwo(want) : await this.claim(want, true)
      if (this.stopping) return
      this.backlog = got === want
      await this.pause(want, got)
    }
  }

  /**
   * With a backlog, the free slots are claimed by two claims sent together: the first one's tasks
   * run while the broker serves the second, so the worker's work and the broker's overlap instead
   * of taking turns. Neither waits for work (a backlog is there); null when both failed.
   */
  private async claimInTwo(want: number): Promise<number | null> {
    const half = Math.ceil(want / 2)
    const [first, second] = await Promise.all([this.claim(half, false), this.claim(want - half, false)])
    return first === null && second === null ? null : (first ?? 0) + (second ?? 0)
  }

  /** Reserves up to `max` and hands the leases to the slots; how many came, or null on failure. */
  private async claim(max: number, wait: boolean): Promise<number | null> {
    const leases = await this.reserve(max, wait)
    // Leases that arrive after a stop are held, not started: the drain releases them at once.
    this.deps.slots.accept(leases ?? [], !this.stopping)
    return leases === null ? null : leases.length
  }

  private async pause(want: number, got: number | null): Promise<void> {
    if (got === null) {
      await this.waker.sleep(this.errorMs)
      this.errorMs = Math.min(this.errorMs * 2, MAX_ERROR_DELAY_MS)
      return
    }
    this.errorMs = this.deps.pollMs
    if (got === want) return
    // A blocking engine's next reserve waits on the server for the next task: a sleep here would
    // only delay a task that arrives meanwhile (it was most of the enqueue-to-start p95).
    if (this.deps.broker.capabilities.blockingReserve) return
    if (got > 0) this.idleMs = MIN_IDLE_MS
    const woken = await this.waker.sleep(this.idleMs)
    this.idleMs = woken ? MIN_IDLE_MS : Math.min(this.idleMs * 2, this.maxIdleMs)
  }

  private async reserve(max: number, wait: boolean): Promise<Lease[] | null> {
    const { broker, queues, name, leaseMs } = this.deps
    try {
      const waitMs = wait && broker.capabilities.blockingReserve ? BLOCK_MS : undefined
      const leases = await broker.reserve({ queues, max, leaseMs, worker: name, waitMs })
      this.lastSuccessAt = this.deps.clock.now()
      return leases
    } catch (err) {
      this.deps.log.error('reserve failed; backing off', { error: String(err), retryInMs: this.errorMs })
      return null
    }
  }
}
