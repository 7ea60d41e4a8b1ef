import type { Redis } from 'ioredis'
import { celeryMetaKey } from '../../../celery/result-meta.ts'
import { openCeleryRedis } from './celery-connection.ts'
import { celeryList } from './celery-keys.ts'

/**
 * Sends protocol 2 messages to Python Celery workers and reads their results, on the Redis their
 * app uses as broker and result backend. Connects on first use, so an app that never calls a
 * Python task opens nothing.
 */
export class CeleryProducer {
  private readonly client: Redis

  constructor(url: string) {
    this.client = openCeleryRedis(url, 'celeriac-celery-producer', true).client
  }

  /** kombu's `_put`: LPUSH to the queue's list for the message's priority step (BRPOP takes the other end). */
  async publish(queue: string, priority: number, payload: string): Promise<void> {
    await this.client.lpush(celeryList(queue, priority), payload)
  }

  /** The raw celery-task-meta-<id> JSON, or null when there is none (pending, unknown or expired). */
  readMeta(id: string): Promise<string | null> {
    return this.client.get(celeryMetaKey(id))
  }

  async close(): Promise<void> {
    if (this.client.status === 'wait') return this.client.disconnect()
    await this.client.quit().catch(() => this.client.disconnect())
  }
}
