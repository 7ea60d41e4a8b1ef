import type { Broker, Settlement } from '../brokers/broker.ts'
import type { Logger } from '../core/logger.ts'
import { atTurnEnd } from './turn-end.ts'

const MAX_SEND_ATTEMPTS = 5

/**
 * Sends outcomes to the broker in batches: everything that finishes in the same tick, and
 * everything that finishes while a batch is on its way, goes in one `settle()` call. On SQLite
 * that is one write transaction (one fsync) for many tasks, which is where throughput comes from.
 */
export class SettleBatcher {
  private pending: Settlement[] = []
  private flushing: Promise<void> | null = null

  constructor(
    private readonly broker: Broker,
    private readonly log: Logger,
    private readonly retryMs: number,
  ) {}

  add(settlement: Settlement): void {
    this.pending.push(settlement)
    if (!this.flushing) this.flushing = this.flush()
  }

  /** Resolves once everything added so far has been sent (or given up on). */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  private async flush(): Promise<void> {
    await new Promise<void>((resolve) => atTurnEnd(resolve))
    while (this.pending.length > 0) {
      const batch = this.pending
      this.pending = []
      await this.send(batch)
    }
    // Cleared in the same synchronous step as the emptiness check, so no add() can slip between.
    this.flushing = null
  }

  private async send(batch: Settlement[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.broker.settle(batch)
        outcomes.forEach((outcome, i) => {
          const s = batch[i]
          // A resend of a call whose reply was lost, recognised by its lease: recorded as we meant.
          if (outcome === 'already_settled' && s) {
            this.log.debug('outcome had been recorded by an earlier attempt', {
              id: s.lease.id,
              outcome: s.kind,
            })
          }
          if (outcome === 'lease_lost' && s) {
            this.log.warn('lease lost before the outcome was recorded; another worker owns the task', {
              id: s.lease.id,
              task: s.lease.message.task,
              outcome: s.kind,
            })
          }
        })
        return
      } catch (err) {
        if (attempt >= MAX_SEND_ATTEMPTS) {
          // Not lost: the leases expire and recoverExpired runs the tasks again.
          const ids = batch.map((s) => s.lease.id)
          this.log.error('could not record outcomes; the tasks will be redelivered', {
            ids,
            error: String(err),
          })
          return
        }
        this.log.warn('settle failed, retrying', { attempt, error: String(err) })
        await Bun.sleep(this.retryMs * attempt)
      }
    }
  }
}
