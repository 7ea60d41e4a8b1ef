import type { BrokerAdmin, BrokerEvent } from '../../brokers/broker.ts'
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'

const PAGE = 1_000

export interface EventTailOptions {
  admin: BrokerAdmin
  /** Called with each event that happened after the tail was created. */
  onEvent: (event: BrokerEvent) => void
  clock: Clock
  log: Logger
  pollMs?: number
  /** Events at or after this time (epoch ms) reach onEvent; default: the tail's creation. */
  from?: number
}

/**
 * Follows the broker's event stream from this process: the source of the task counters (every
 * worker's outcomes, not only this process's) and of "now" for a new SSE stream. History older
 * than the tail's creation is read past without being counted: counters start at zero with the
 * process, as Prometheus expects.
 */
export class EventTail {
  private seq: string | null = null
  private readonly startedAt: number
  private timer: ReturnType<typeof setTimeout> | null = null
  private running: Promise<void> | null = null
  private stopped = false

  constructor(private readonly o: EventTailOptions) {
    this.startedAt = o.from ?? o.clock.now()
  }

  /** The seq of the last event read (null before any). */
  get position(): string | null {
    return this.seq
  }

  /** Reads every event stored so far; resolves with how many were read. */
  async pollOnce(): Promise<number> {
    let read = 0
    for (;;) {
      const events = await this.o.admin.readEvents(this.seq, PAGE)
      for (const event of events) {
        this.seq = event.seq
        if (event.at >= this.startedAt) this.o.onEvent(event)
      }
      read += events.length
      if (events.length < PAGE) return read
    }
  }

  start(): void {
    const loop = async () => {
      this.running = this.pollOnce()
        .then(() => {})
        .catch((err) => this.o.log.warn('api: reading broker events failed', { error: String(err) }))
      await this.running
      if (!this.stopped) this.timer = setTimeout(loop, this.o.pollMs ?? 500)
    }
    void loop()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }
}
