import { hostname } from 'node:os'
import { CeleryProducer } from '../brokers/redis/celery/celery-producer.ts'
import { CeleryCall, type CeleryCallInput } from '../celery/celery-call.ts'
import { encodeTaskMessage } from '../celery/encode-task-message.ts'
import { mergeSeenResult } from '../celery/merge-seen-result.ts'
import { readResultMeta } from '../celery/read-result-meta.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import { ValidationError } from '../core/errors.ts'
import type { TaskResult } from '../core/result.ts'
import { parseOrThrow } from '../core/validate.ts'
import { TaskHandle } from './task-handle.ts'

/** Tasks known from Python workers' events (CeleryTaskLog). */
export interface SeenTasks {
  get(id: string, now: number): TaskResult | null
}

/**
 * The producer for Python Celery workers: `send('app.tasks.add', { args: [2, 3] })` pushes a
 * protocol 2 message onto the Redis their app uses, and the handle reads the result they write
 * to celery-task-meta-<id>, as `AsyncResult` does.
 */
export class CeleryClient {
  private readonly clock: Clock
  private readonly origin = `${process.pid}@${hostname()}`

  constructor(
    private readonly producer: CeleryProducer,
    clock: Clock = systemClock,
    private readonly seen: SeenTasks | null = null,
  ) {
    this.clock = clock
  }

  /**
   * Over the Redis at `url` (the Python app's broker and result backend); `seen`, the tasks
   * Python workers' events described, completes a result with its name, arguments and times.
   */
  static open(url: string, clock?: Clock, seen?: SeenTasks): CeleryClient {
    return new CeleryClient(new CeleryProducer(url), clock, seen ?? null)
  }

  /** Validates the call (a ValidationError names each wrong field) and sends it; the handle waits on its result. */
  async send<R = unknown>(task: string, call: CeleryCallInput = {}): Promise<TaskHandle<R>> {
    if (typeof task !== 'string' || task.length === 0 || task.length > 200)
      throw new ValidationError('celery call', [
        { path: 'task', message: 'expected the Celery task name (1 to 200 characters)' },
      ])
    const parsed = parseOrThrow(CeleryCall, call, 'celery call')
    const id = crypto.randomUUID()
    const encoded = encodeTaskMessage({
      id,
      task,
      call: parsed,
      origin: this.origin,
      deliveryTag: crypto.randomUUID(),
      now: this.clock.now(),
    })
    await this.producer.publish(parsed.queue, encoded.priority, encoded.payload)
    return this.handle<R>(id)
  }

  /** The result a Celery worker wrote for `id`, or null while there is none. */
  async result(id: string): Promise<TaskResult | null> {
    const raw = await this.producer.readMeta(id)
    const stored = raw === null ? null : readResultMeta(id, raw)
    return mergeSeenResult(stored, this.seen?.get(id, this.clock.now()) ?? null)
  }

  /** Celery's `AsyncResult(id)`. */
  handle<R = unknown>(id: string): TaskHandle<R> {
    return new TaskHandle<R>(id, true, (taskId) => this.result(taskId))
  }

  close(): Promise<void> {
    return this.producer.close()
  }
}
