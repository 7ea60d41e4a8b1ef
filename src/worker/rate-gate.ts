import type { Broker } from '../brokers/broker.ts'
import { gateOf, type TaskMessage } from '../core/message.ts'
import type { RateLimit } from '../core/rate-limit.ts'
import { parseRateLimit } from '../core/rate-limit.ts'
import type { TaskRegistry } from '../core/registry.ts'

/** One token bucket a task must draw from before it starts. */
export interface RateBucket {
  bucket: string
  limit: RateLimit
}

/**
 * Decides whether a task with a rate limit may start now, drawing from the broker's shared token
 * bucket so the limit holds across every worker. `control rate_limit` overrides a task's limit
 * in this worker (Celery's `rate_limit` command); an override of null returns to the default.
 */
export class RateGate {
  private readonly overrides = new Map<string, RateLimit | null>()
  /** Parsed keyRateLimit texts: a keyed task's limit is read for every task it runs. */
  private readonly parsed = new Map<string, RateLimit>()

  constructor(
    private readonly broker: Broker,
    private readonly registry: TaskRegistry,
  ) {}

  limitFor(task: string): RateLimit | null {
    if (this.overrides.has(task)) return this.overrides.get(task) ?? null
    const text = this.registry.get(task)?.options.rateLimit
    return text ? parseRateLimit(text) : null
  }

  /**
   * The buckets a task draws from: the task's own limit, and its key's when the task sets a
   * keyRateLimit (each key of a fairly shared task has a bucket of its own). Empty: no limit.
   */
  bucketsFor(message: TaskMessage): RateBucket[] {
    const buckets: RateBucket[] = []
    const own = this.limitFor(message.task)
    if (own) buckets.push({ bucket: `task:${message.task}`, limit: own })
    const perKey = this.registry.get(message.task)?.options.keyRateLimit
    if (perKey && message.group) {
      let limit = this.parsed.get(perKey)
      if (!limit) {
        limit = parseRateLimit(perKey)
        this.parsed.set(perKey, limit)
      }
      buckets.push({ bucket: `key:${gateOf(message.task, message.group.key)}`, limit })
    }
    return buckets
  }

  /** '0' removes the limit for this task; null goes back to the task's own. Throws on bad text. */
  override(task: string, text: string | null): void {
    if (text === null) this.overrides.delete(task)
    else this.overrides.set(task, text === '0' ? null : parseRateLimit(text))
  }

  /** 0 when the task may start; otherwise how many ms to put it back for. */
  async waitFor({ bucket, limit }: RateBucket): Promise<number> {
    const wait = await this.broker.acquireRate(bucket, limit)
    // Tasks denied together would all come back at the same instant: spread them over one wait.
    return wait === 0 ? 0 : wait + Math.floor(Math.random() * wait)
  }
}
