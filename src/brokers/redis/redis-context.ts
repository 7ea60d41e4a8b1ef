import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { EventLog } from './event-log.ts'
import type { RedisKeys } from './keys.ts'
import type { KnownQueues } from './known-queues.ts'
import type { RedisTransport } from './redis-commands.ts'

/** What every operation module is built from: one per broker. */
export interface RedisContext {
  /** The wire: ioredis (connect.ts) or HTTP (../upstash/); the operations see only this seam. */
  readonly conn: RedisTransport
  readonly keys: RedisKeys
  readonly clock: Clock
  readonly cluster: boolean
  readonly resultTtlMs: number
  readonly deadTtlMs: number
  readonly controlTtlMs: number
  /** How long a silent worker's snapshot is kept (listWorkers shows it offline meanwhile). */
  readonly workerTtlMs: number
  readonly events: EventLog
  readonly queues: KnownQueues
  readonly log: Logger
}

/** Splits items by queue, keeping each item's index in the original array. */
export function groupByQueue<T>(
  items: T[],
  queueOf: (item: T) => string,
): Map<string, { item: T; index: number }[]> {
  const groups = new Map<string, { item: T; index: number }[]>()
  items.forEach((item, index) => {
    const queue = queueOf(item)
    const group = groups.get(queue)
    if (group) group.push({ item, index })
    else groups.set(queue, [{ item, index }])
  })
  return groups
}
