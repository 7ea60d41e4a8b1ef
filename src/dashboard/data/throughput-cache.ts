import type { BrokerAdmin } from '../../brokers/broker.ts'
import type { Clock } from '../../core/clock.ts'
import { readThroughput, type Throughput } from './throughput.ts'

const WINDOW_MS = 3_600_000
const BUCKETS = 60
/** Live refreshes of many open dashboards share one scan per this period. */
const FRESH_MS = 2_000

/** The last hour's throughput, recomputed at most every FRESH_MS (one scan in flight at a time). */
export class ThroughputCache {
  private last: { at: number; value: Promise<Throughput> } | null = null

  constructor(
    private readonly admin: BrokerAdmin,
    private readonly clock: Clock,
  ) {}

  get(): Promise<Throughput> {
    const now = this.clock.now()
    if (this.last && now - this.last.at < FRESH_MS) return this.last.value
    const value = readThroughput(this.admin, now, WINDOW_MS, BUCKETS)
    // A failed scan is not cached: the next request tries again.
    value.catch(() => {
      if (this.last?.value === value) this.last = null
    })
    this.last = { at: now, value }
    return value
  }
}
