import type { TaskResult } from '../../core/result.ts'
import type { RedisContext } from './redis-context.ts'
import { isLive, RESULT_FIELDS, toTaskResult } from './task-hash.ts'

/**
 * Finds a task by id alone: its hash lives in its queue's slot, so every known queue is asked
 * (one HMGET each, sent together). An expired result counts as gone before Redis drops the key.
 */
export function createGetResult(ctx: RedisContext) {
  return async (id: string): Promise<TaskResult | null> => {
    const found = await findTask(ctx, id)
    return found && isLive(found, ctx.clock.now()) ? found : null
  }
}

export async function findTask(ctx: RedisContext, id: string): Promise<TaskResult | null> {
  const queues = await ctx.queues.list()
  const replies = await Promise.all(
    queues.map((queue) => ctx.conn.client.hmget(ctx.keys.queue(queue).task(id), ...RESULT_FIELDS)),
  )
  for (const [i, values] of replies.entries()) {
    const result = toTaskResult(id, queues[i] as string, values)
    if (result) return result
  }
  return null
}

/** Deletes up to `limit` finished tasks of a queue whose results expired; returns how many. */
export async function deleteExpiredResults(
  ctx: RedisContext,
  queue: string,
  now: number,
  limit: number,
): Promise<number> {
  const k = ctx.keys.queue(queue)
  return (await ctx.conn.run('cleanupResults', [k.done, k.dead, k.all], [k.taskPrefix, now, limit])) as number
}

const CHUNK = 2_000

/** Deletes expired results and old events, plus revocations nobody needs any more. */
export function createCleanup(ctx: RedisContext) {
  return async (eventsOlderThanMs: number): Promise<{ results: number; events: number }> => {
    const now = ctx.clock.now()
    let results = 0
    for (const queue of await ctx.queues.list()) {
      for (let n = CHUNK; n === CHUNK; results += n) n = await deleteExpiredResults(ctx, queue, now, CHUNK)
    }
    await ctx.events.flush()
    const events = await ctx.events.deleteBefore(now - eventsOlderThanMs)
    // A revocation outlives the results of the task it names, and so stops mattering.
    const cutoff = now - Math.max(ctx.resultTtlMs, ctx.deadTtlMs)
    await ctx.conn.client.zremrangebyscore(ctx.keys.revoked, '-inf', `(${cutoff}`)
    return { results, events }
  }
}
