import type { Broker } from '../brokers/broker.ts'
import type { RateLimit } from '../core/rate-limit.ts'
import { parseRateLimit } from '../core/rate-limit.ts'
import type { TaskRegistry } from '../core/registry.ts'

/**
 * Decides whether a task with a rate limit may start now, drawing from the broker's shared token
 * bucket so the limit holds across every worker. `control rate_limit` overrides a task's limit
 * in this worker (Celery's `rate_limit` command); an override of null returns to the default.
 */
export class RateGate {
  private readonly overrides = new Map<string, RateLimit | null>()

  constructor(
    private readonly broker: Broker,
    private readonly registry: TaskRegistry,
  ) {}

  limitFor(task: string): RateLimit | null {
    if (this.overrides.has(task)) return this.overrides.get(task) ?? null
    const text = this.registry.get(task)?.options.rateLimit
    return text ? parseRateLimit(text) : null
  }

  /** '0' removes the limit for this task; null goes back to the task's own. Throws on bad text. */
  override(task: string, text: string | null): void {
    if (text === null) this.overrides.delete(task)
    else this.overrides.set(task, text === '0' ? null : parseRateLimit(text))
  }

  /** 0 when the task may start; otherwise how many ms to put it back for. */
  async waitFor(task: string, limit: RateLimit): Promise<number> {
    const wait = await this.broker.acquireRate(`task:${task}`, limit)
    // Tasks denied together would all come back at the same instant: spread them over one wait.
    return wait === 0 ? 0 : wait + Math.floor(Math.random() * wait)
  }
}
