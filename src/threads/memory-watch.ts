import type { PoolThread } from './pool-thread.ts'

/** How often the process's memory is sampled while jobs run. */
const SAMPLE_MS = 50

export interface MemoryWatchOptions {
  ceilingBytes: number
  busyThreads: () => PoolThread[]
  /** Called with the busy threads when the growth is above ceiling × their number. */
  onOver: (threads: PoolThread[], growthBytes: number) => void
}

/**
 * Watches the process's resident memory while pool threads are busy. Bun (1.4.5) accepts a
 * Worker's resourceLimits but does not enforce them, its threads share the process's memory, and a
 * thread busy decoding cannot report its own heap: the growth of the whole process since the oldest
 * running job started is what can be measured, and it is held to the ceiling × the busy threads.
 */
export class MemoryWatch {
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly options: MemoryWatchOptions) {}

  /** Samples until no thread is busy; call it whenever a job starts. */
  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.sample(), SAMPLE_MS)
    // A busy thread keeps the process alive by itself; the sampling never should.
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private sample(): void {
    const busy = this.options.busyThreads()
    if (busy.length === 0) {
      this.stop()
      return
    }
    const base = Math.min(...busy.map((thread) => thread.rssAtStart))
    const growth = process.memoryUsage.rss() - base
    if (growth > this.options.ceilingBytes * busy.length) this.options.onOver(busy, growth)
  }
}
