/** Every time decision (leases, retries, ETAs, expiry) reads this, so tests can pin time. */
export interface Clock {
  now(): number
  /**
   * True for wall-clock time: another wall clock (a Redis server's TIME) may stand in for it, as
   * when a claim waits on the server and takes its time when it wakes. Fake clocks leave it unset.
   */
  readonly wall?: boolean
}

export const systemClock: Clock = { now: () => Date.now(), wall: true }

/** A clock that only moves when told to: for tests of retries, leases and expiry. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(ms: number): void {
    this.current = ms
  }
}
