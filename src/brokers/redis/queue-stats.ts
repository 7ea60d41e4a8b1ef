import type { QueueStats } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'

/** Per-queue counts, one read-only script per known queue; queues with nothing in them are left out. */
export function createQueueStats(ctx: RedisContext) {
  return async (): Promise<QueueStats[]> => {
    const now = ctx.clock.now()
    const queues = await ctx.queues.list()
    const replies = await Promise.all(
      queues.map((queue) => {
        const k = ctx.keys.queue(queue)
        return ctx.conn.run('queueStats', [k.ready, k.delayed, k.leases, k.dead], [now])
      }),
    )
    const stats: QueueStats[] = []
    queues.forEach((queue, i) => {
      const [waiting, delayed, active, dead, oldest] = replies[i] as [number, number, number, number, string]
      if (waiting + delayed + active + dead === 0) return
      const oldestAgeMs = oldest === '' ? null : Math.max(0, now - Number(oldest))
      stats.push({ queue, waiting, delayed, active, dead, oldestAgeMs })
    })
    return stats
  }
}
