import type { ScheduleStore, StoredSchedule } from '../brokers/broker.ts'
import { isBrokerUnavailable } from '../brokers/broker-unavailable.ts'
import type { Client } from '../client/client.ts'
import type { Clock } from '../core/clock.ts'
import { every, type Periodic } from '../core/every.ts'
import { newToken } from '../core/ids.ts'
import type { Logger } from '../core/logger.ts'
import type { ScheduleState } from '../core/schedule-entry.ts'
import { isTerminal } from '../core/states.ts'
import { nextFireAfter } from './next-fire.ts'

export const LEADER_LOCK = 'beat:leader'

export interface BeatOptions {
  store: ScheduleStore
  client: Client
  clock: Clock
  log: Logger
  /** How often beat looks at its entries (default 1 s). */
  tickMs?: number
  /** Leader lease: a standby takes over within this after the leader dies (default 10 s). */
  lockTtlMs?: number
  /**
   * A fire noticed later than this after its time counts as missed (catch-up policy applies).
   * Never shorter than a handover (lease + two ticks), so a standby taking over fires every slot.
   */
  graceMs?: number
}

/**
 * Celery beat, safe to run twice: only the holder of the leader lease fires, and every fire is
 * enqueued with an idempotency key made of entry name + fire time, so even two beats that both
 * think they lead enqueue once. Next fire times come from the stored state, not process start.
 */
export class Beat {
  readonly token = newToken()
  private leader = false
  private ticker: Periodic | null = null
  private readonly tickMs: number
  private readonly lockTtlMs: number
  private readonly graceMs: number

  constructor(private readonly o: BeatOptions) {
    this.tickMs = o.tickMs ?? 1_000
    this.lockTtlMs = o.lockTtlMs ?? 10_000
    // A standby wins the lease up to one tick after the dead leader's lease ran out, and the
    // leader's last tick may have been a tick before the first slot it left: every slot in that
    // window is a handover, not an outage, and is fired whatever the catch-up policy says.
    const handoverMs = this.lockTtlMs + 2 * this.tickMs
    this.graceMs = Math.max(o.graceMs ?? 0, handoverMs)
  }

  get isLeader(): boolean {
    return this.leader
  }

  start(): void {
    this.ticker ??= every(
      this.tickMs,
      () => this.tick(),
      (err) => this.o.log.error('beat tick failed', { error: String(err) }),
    )
    void this.ticker.runNow()
  }

  async stop(): Promise<void> {
    await this.ticker?.stop()
    this.ticker = null
    if (this.leader) await this.o.store.releaseLock(LEADER_LOCK, this.token).catch(() => {})
    this.leader = false
  }

  /** One look at every entry; public so tests can drive beat with a fake clock. */
  async tick(): Promise<void> {
    if (!(await this.holdLeadership())) return
    for (const schedule of await this.o.store.listSchedules()) {
      if (!schedule.entry.enabled) continue
      const state = await this.consider(schedule)
      if (state) await this.o.store.saveScheduleState(schedule.entry.name, state)
    }
  }

  /**
   * Fires every slot in [from, now]. An entry that cannot be enqueued (unknown task, bad input, a
   * hook that throws) records why and moves on to its next slot, so it never holds up the other
   * entries; an unreachable broker fails the whole tick instead, and the slots are fired next tick.
   */
  private async fireSlots(entry: StoredSchedule['entry'], state: ScheduleState, slots: number[]) {
    let current = state
    try {
      for (const slot of slots) current = await this.fire({ entry, state: current }, slot)
      return current
    } catch (err) {
      if (isBrokerUnavailable(err)) throw err
      const message = err instanceof Error ? err.message : String(err)
      this.o.log.error('beat: could not fire a schedule entry', { schedule: entry.name, error: message })
      return { ...current, lastOutcome: `failed: ${message}` }
    }
  }

  private async holdLeadership(): Promise<boolean> {
    const held = await this.o.store.acquireLock(LEADER_LOCK, this.token, this.lockTtlMs)
    if (held !== this.leader)
      this.o.log.info(held ? 'beat: leading, firing schedules' : 'beat: lost the leader lease; standing by')
    this.leader = held
    return held
  }

  /** Decides about one entry; returns its new state, or null when nothing changed. */
  private async consider({ entry, state }: StoredSchedule): Promise<ScheduleState | null> {
    const now = this.o.clock.now()
    const outcome = await this.lastOutcome(state)
    // null: a one-off that has fired (entries get their first fire time when saved).
    if (state.nextRunAt === null || state.nextRunAt > now) return outcome
    const current = outcome ?? state
    const next = nextFireAfter(entry, now)
    const late = now - state.nextRunAt
    if (late <= this.graceMs)
      return {
        ...(await this.fireSlots(entry, current, slotsBetween(entry, state.nextRunAt, now))),
        nextRunAt: next,
      }
    if (entry.catchUp === 'once') {
      const slot = slotsBetween(entry, state.nextRunAt, now).at(-1) ?? state.nextRunAt
      this.o.log.info('beat: catching up once for missed fires', {
        schedule: entry.name,
        slot: new Date(slot).toISOString(),
      })
      return { ...(await this.fireSlots(entry, current, [slot])), nextRunAt: next }
    }
    this.o.log.info('beat: skipped missed fires (catchUp skip)', {
      schedule: entry.name,
      since: new Date(state.nextRunAt).toISOString(),
    })
    return { ...current, nextRunAt: next, lastOutcome: 'skipped: missed while beat was down' }
  }

  private async fire(
    { entry, state }: Pick<StoredSchedule, 'entry' | 'state'>,
    slot: number,
  ): Promise<ScheduleState> {
    if (entry.noOverlap && state.lastTaskId) {
      const previous = await this.o.client.handle(state.lastTaskId).state()
      if (!isTerminal(previous) && previous !== 'PENDING') {
        this.o.log.info('beat: skipped a fire, previous run still running (noOverlap)', {
          schedule: entry.name,
        })
        return { ...state, lastOutcome: 'skipped: previous run still running' }
      }
    }
    const handle = await this.o.client.enqueue(entry.task, entry.input, {
      queue: entry.queue,
      priority: entry.priority,
      expires: entry.expires,
      idempotencyKey: `beat:${entry.name}:${new Date(slot).toISOString()}`,
    })
    this.o.log.debug('beat: fired', { schedule: entry.name, id: handle.id, created: handle.created })
    return {
      ...state,
      lastRunAt: slot,
      totalRuns: state.totalRuns + 1,
      lastTaskId: handle.id,
      lastOutcome: 'sent',
    }
  }

  /** Replaces 'sent' by the fired task's final state once it has one. */
  private async lastOutcome(state: ScheduleState): Promise<ScheduleState | null> {
    if (state.lastOutcome !== 'sent' || !state.lastTaskId) return null
    const now = await this.o.client.handle(state.lastTaskId).state()
    return isTerminal(now) ? { ...state, lastOutcome: now } : null
  }
}

/** Fire times in [from, until], from being one; bounded so a long outage stays cheap. */
function slotsBetween(entry: StoredSchedule['entry'], from: number, until: number): number[] {
  const slots = [from]
  for (let i = 0; i < 10_000; i++) {
    const next = nextFireAfter(entry, slots.at(-1) as number)
    if (next === null || next > until) break
    slots.push(next)
  }
  return slots
}
