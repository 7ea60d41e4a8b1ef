import type { Redis } from 'ioredis'
import {
  celeryEvent,
  encodeEventMessage,
  eventRoutingKey,
  workerEventFields,
} from '../../../celery/celery-event.ts'
import { toCeleryException } from '../../../celery/celery-exception.ts'
import { celeryEta } from '../../../celery/celery-time.ts'
import { pythonRepr, pythonTupleRepr } from '../../../celery/python-repr.ts'
import type { Clock } from '../../../core/clock.ts'
import type { Logger } from '../../../core/logger.ts'
import type { TaskErrorInfo } from '../../../core/result.ts'
import type { Settlement } from '../../broker.ts'
import { openCeleryRedis } from './celery-connection.ts'
import type { CeleryDelivery } from './celery-delivery.ts'
import { celeryFanoutChannel } from './celery-keys.ts'

export interface CeleryEventPublisherOptions {
  url: string
  hostname: string
  version: string
  clock: Clock
  log: Logger
  exceptionClasses: readonly string[]
  /** Celery's worker heartbeat period (its default: 2 s). */
  heartbeatMs?: number
}

/**
 * Sends Celery's monitoring events for a `worker --celery` (task-received/started/succeeded/
 * failed/retried/revoked, worker-online/heartbeat/offline), as a Python worker with `-E` does,
 * so Flower or celery-exporter watching the same Redis sees Celeriac workers.
 */
export class CeleryEventPublisher {
  private readonly client: Redis
  private readonly channelBase: string
  private readonly heartbeatMs: number
  private readonly startedAt = new Map<string, number>()
  private processed = 0
  private lamport = 0
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly o: CeleryEventPublisherOptions) {
    const { client, db } = openCeleryRedis(o.url, 'celeriac-celery-events')
    this.client = client
    this.channelBase = celeryFanoutChannel(db, 'celeryev')
    this.heartbeatMs = o.heartbeatMs ?? 2_000
  }

  async start(): Promise<void> {
    await this.worker('worker-online')
    this.timer = setInterval(() => void this.worker('worker-heartbeat'), this.heartbeatMs)
    this.timer.unref?.()
  }

  received(d: CeleryDelivery): void {
    const r = d.request
    const argsrepr = d.envelope.headers.argsrepr
    const kwargsrepr = d.envelope.headers.kwargsrepr
    void this.task('task-received', r.id, {
      name: r.task,
      args: typeof argsrepr === 'string' ? argsrepr : pythonTupleRepr(r.args),
      kwargs: typeof kwargsrepr === 'string' ? kwargsrepr : pythonRepr(r.kwargs),
      root_id: r.rootId ?? r.id,
      parent_id: r.parentId,
      retries: r.retries,
      eta: r.eta === null ? null : celeryEta(r.eta),
      expires: r.expires === null ? null : celeryEta(r.expires),
    })
  }

  started(d: CeleryDelivery): void {
    this.startedAt.set(d.claimed.token, this.o.clock.now())
    void this.task('task-started', d.request.id, { pid: process.pid })
  }

  settled(d: CeleryDelivery, s: Settlement): void {
    const began = this.startedAt.get(d.claimed.token)
    this.startedAt.delete(d.claimed.token)
    if (s.kind === 'release') return
    if (s.kind !== 'retry') this.processed++
    const runtime = (ms: number | null) =>
      (ms ?? (began === undefined ? 0 : this.o.clock.now() - began)) / 1000
    const id = d.request.id
    if (s.kind === 'ack')
      void this.task('task-succeeded', id, { result: pythonRepr(s.result), runtime: runtime(s.runtimeMs) })
    else if (s.kind === 'fail') void this.task('task-failed', id, this.failure(s.error))
    else if (s.kind === 'retry') void this.task('task-retried', id, this.failure(s.error))
    else
      void this.task('task-revoked', id, {
        terminated: s.reason === 'terminated',
        signum: null,
        expired: false,
      })
  }

  private failure(error: TaskErrorInfo): Record<string, unknown> {
    const exc = toCeleryException(error, this.o.exceptionClasses)
    return {
      exception: `${exc.exc_type}(${exc.exc_message.map(pythonRepr).join(', ')})`,
      traceback: error.stack ?? '',
    }
  }

  private task(type: string, uuid: string, fields: Record<string, unknown>): Promise<void> {
    return this.publish(type, { uuid, ...fields })
  }

  private worker(type: string): Promise<void> {
    return this.publish(
      type,
      workerEventFields({
        freqSeconds: this.heartbeatMs / 1000,
        active: this.startedAt.size,
        processed: this.processed,
        version: this.o.version,
      }),
    )
  }

  private async publish(type: string, fields: Record<string, unknown>): Promise<void> {
    const origin = { hostname: this.o.hostname, pid: process.pid }
    const event = celeryEvent(type, origin, ++this.lamport, this.o.clock.now(), fields)
    const key = eventRoutingKey(type)
    try {
      await this.client.publish(
        `${this.channelBase}/${key}`,
        encodeEventMessage(event, key, crypto.randomUUID()),
      )
    } catch (err) {
      // Monitoring must never stop work: a lost event is logged and the task goes on.
      this.o.log.warn('celery event not sent', { type, error: (err as Error).message })
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.worker('worker-offline')
    await this.client.quit().catch(() => this.client.disconnect())
  }
}
