/** Most distinct addresses tracked: the table cannot be grown without bound by spoofed peers. */
const MAX_KEYS = 10_000

/**
 * Failed attempts per key (a client IP) in a sliding window. In memory, per api process: the
 * brute-force limit is per instance, by design (a shared counter would let one attacker lock
 * every client of a shared NAT out of every instance).
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** ms until `key` may try again, or 0 when it is not blocked. */
  blockedFor(key: string, now: number): number {
    const times = this.recent(key, now)
    if (times.length < this.max) return 0
    return Math.max(1, (times[times.length - this.max] as number) + this.windowMs - now)
  }

  record(key: string, now: number): void {
    const times = this.recent(key, now)
    times.push(now)
    this.failures.delete(key)
    this.failures.set(key, times)
    if (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs)
    if (times.length === 0) this.failures.delete(key)
    return times
  }
}
