import type { Redis } from 'ioredis'
import type { CeleryMonitor } from '../../../celery/celery-monitor.ts'
import type { Clock } from '../../../core/clock.ts'
import type { Logger } from '../../../core/logger.ts'
import { openCeleryRedis } from './celery-connection.ts'
import { celeryFanoutChannel } from './celery-keys.ts'

export interface CeleryEventListenerOptions {
  url: string
  monitor: CeleryMonitor
  clock: Clock
  log: Logger
}

/** At most one warning per this period for dropped events; the rest are counted into it. */
const DROP_LOG_EVERY_MS = 10_000

/**
 * Listens to Python Celery workers' events (`celery worker -E`) on the broker's Redis, as Flower
 * does: kombu publishes the celeryev fanout exchange on `/{db}.celeryev/<routing key>`, so one
 * pattern subscription (`/{db}.celeryev/*`, kombu's own) hears every task and worker event.
 * A message that is not a well-formed event is dropped and logged, never thrown.
 */
export class CeleryEventListener {
  private readonly subscriber: Redis
  private readonly pattern: string
  private dropped = 0
  private lastDropLog = Number.NEGATIVE_INFINITY

  constructor(private readonly o: CeleryEventListenerOptions) {
    const { client, db } = openCeleryRedis(o.url, 'celeriac-celery-events-listen', true)
    this.subscriber = client
    this.pattern = `${celeryFanoutChannel(db, 'celeryev')}/*`
  }

  /** Resolves once subscribed: every event published after this is seen. */
  async start(): Promise<void> {
    // ioredis reconnects and subscribes again by itself; a dropped connection is only noted.
    this.subscriber.on('error', (err: Error) =>
      this.o.log.debug('celery events connection error', { error: err.message }),
    )
    this.subscriber.on('pmessage', (_pattern: string, channel: string, raw: string) => {
      this.receive(channel, raw)
    })
    await this.subscriber.psubscribe(this.pattern)
    this.o.log.info('celery events listening', { pattern: this.pattern })
  }

  private receive(channel: string, raw: string): void {
    let dropped: string[]
    try {
      dropped = this.o.monitor.record(raw, this.o.clock.now())
    } catch (err) {
      // The parser refuses by value; this only guards the api against a bug on a hostile input.
      dropped = [`unexpected: ${(err as Error).message}`]
    }
    for (const reason of dropped) this.drop(channel, reason)
  }

  private drop(channel: string, reason: string): void {
    this.dropped++
    const now = this.o.clock.now()
    if (now - this.lastDropLog < DROP_LOG_EVERY_MS) return
    this.o.log.warn('celery event dropped', {
      channel: channel.slice(0, 200),
      reason: reason.slice(0, 300),
      dropped: this.dropped,
    })
    this.lastDropLog = now
    this.dropped = 0
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect())
  }
}
