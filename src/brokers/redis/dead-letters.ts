import type { TaskResult } from '../../core/result.ts'
import type { RedisContext } from './redis-context.ts'
import { RESULT_FIELDS, toTaskResult } from './task-hash.ts'

/** Dead letters (FAILURE with a dead reason, kept deadTtlMs), newest first, of one queue or all. */
export function createListDead(ctx: RedisContext) {
  return async (queue?: string, limit = 100): Promise<TaskResult[]> => {
    const now = ctx.clock.now()
    const queues = queue === undefined ? await ctx.queues.list() : [queue]
    const perQueue = await Promise.all(queues.map((q) => deadOf(ctx, q, now, limit)))
    return perQueue
      .flat()
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || b.id.localeCompare(a.id))
      .slice(0, limit)
  }
}

async function deadOf(ctx: RedisContext, queue: string, now: number, limit: number): Promise<TaskResult[]> {
  const k = ctx.keys.queue(queue)
  const ids = await ctx.conn.client.zrangebyscore(k.dead, `(${now}`, '+inf')
  const newest = ids.reverse().slice(0, limit)
  const rows = await Promise.all(newest.map((id) => ctx.conn.client.hmget(k.task(id), ...RESULT_FIELDS)))
  return rows
    .map((values, i) => toTaskResult(newest[i] as string, queue, values))
    .filter((r): r is TaskResult => r !== null && r.state === 'FAILURE' && r.deadReason !== null)
}

/** Puts a failed task back on its queue with fresh counters; forgets an old revocation of it. */
export function createRequeueDead(ctx: RedisContext) {
  return async (id: string): Promise<boolean> => {
    const now = ctx.clock.now()
    for (const queue of await ctx.queues.list()) {
      const k = ctx.keys.queue(queue)
      const keys = [k.task(id), k.ready, k.done, k.dead, k.signal]
      const [code, task] = (await ctx.conn.run('requeueDead', keys, [id, now])) as [number, string]
      if (code !== 1) continue
      await ctx.conn.client.zrem(ctx.keys.revoked, id)
      ctx.events.append([{ type: 'task:requeued', at: now, taskId: id, task, queue, data: '{}' }])
      return true
    }
    return false
  }
}

const PURGE_CHUNK = 1_000

/** Deletes the waiting and delayed tasks of a queue, a chunk per script; running ones finish. */
export function createPurge(ctx: RedisContext) {
  return async (queue: string): Promise<number> => {
    const k = ctx.keys.queue(queue)
    let total = 0
    for (;;) {
      const n = (await ctx.conn.run(
        'purge',
        [k.ready, k.delayed, k.all, k.signal],
        [k.taskPrefix, PURGE_CHUNK],
      )) as number
      total += n
      if (n === 0) return total
    }
  }
}
