import { atTurnEnd } from './turn-end.ts'

/**
 * An idle sleep that ends early when there is news (a slot freed, a stop). `wakeSoon` defers the
 * wake-up to the turn's end so that every task finishing in the same tick frees its slot
 * before the loop reserves: one batched reserve instead of one per finished task.
 */
export class Waker {
  private resolve: ((woken: boolean) => void) | null = null
  private pending = false
  private scheduled = false

  wake(): void {
    const resolve = this.resolve
    if (!resolve) {
      this.pending = true
      return
    }
    this.resolve = null
    resolve(true)
  }

  wakeSoon(): void {
    if (this.scheduled) return
    this.scheduled = true
    atTurnEnd(() => {
      this.scheduled = false
      this.wake()
    })
  }

  /** Resolves true when woken, false when `ms` passed; `null` waits only for a wake-up. */
  sleep(ms: number | null): Promise<boolean> {
    if (this.pending) {
      this.pending = false
      return Promise.resolve(true)
    }
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(() => this.expire(resolve), ms)
      this.resolve = (woken) => {
        if (timer) clearTimeout(timer)
        resolve(woken)
      }
    })
  }

  private expire(resolve: (woken: boolean) => void): void {
    this.resolve = null
    resolve(false)
  }
}
