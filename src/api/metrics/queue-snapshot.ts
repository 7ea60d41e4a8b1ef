import type { QueueStats, WorkerStatus } from '../../brokers/broker.ts'

/** One queue as the gauges show it at a scrape. */
export interface QueueSnapshot {
  queue: string
  waiting: number
  oldestAgeMs: number | null
  dead: number
  /** Online workers that consume it. */
  consumers: number
  /** Their execution slots, summed (celery-exporter's "processes"). */
  slots: number
}

/**
 * Every known queue, the largest backlogs first, at most `max`: those the broker holds tasks for,
 * those online workers consume and those this process was configured with. A known queue with
 * nothing in it is a 0, not a missing series, so `backlog > 0` alerts and boards see it.
 */
export function queueSnapshots(
  stats: readonly QueueStats[],
  workers: readonly WorkerStatus[],
  configured: readonly string[],
  max: number,
): QueueSnapshot[] {
  const online = workers.filter((w) => w.online)
  const byName = new Map(stats.map((q) => [q.queue, q]))
  const names = new Set([...stats.map((q) => q.queue), ...online.flatMap((w) => w.queues), ...configured])
  const snapshots = [...names].map((queue) => {
    const q = byName.get(queue)
    const consuming = online.filter((w) => w.queues.includes(queue))
    return {
      queue,
      waiting: q?.waiting ?? 0,
      oldestAgeMs: q?.oldestAgeMs ?? null,
      dead: q?.dead ?? 0,
      consumers: consuming.length,
      slots: consuming.reduce((sum, w) => sum + w.concurrency, 0),
    }
  })
  return snapshots.sort((a, b) => b.waiting - a.waiting || a.queue.localeCompare(b.queue)).slice(0, max)
}
