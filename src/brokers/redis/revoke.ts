import type { RedisContext } from './redis-context.ts'

/**
 * Marks one stored task revoked in its queue: a waiting one is finalised REVOKED at once (with its
 * event), a running one is reported to its worker by extendLeases. Returns false if not there.
 */
export async function revokeStored(
  ctx: RedisContext,
  queue: string,
  id: string,
  terminate: boolean,
): Promise<boolean> {
  const k = ctx.keys.queue(queue)
  const now = ctx.clock.now()
  const args = [id, now, terminate ? 2 : 1, ctx.resultTtlMs]
  const [code, task] = (await ctx.conn.run(
    'revoke',
    [k.task(id), k.ready, k.delayed, k.done, k.signal],
    args,
  )) as [number, string]
  if (code === 2) {
    ctx.events.append([
      { type: 'task:revoked', at: now, taskId: id, task, queue, data: '{"reason":"revoked"}' },
    ])
  }
  return code !== 0
}

/**
 * Records a revocation durably (a set in its own slot, so a task that arrives later is refused),
 * then marks the task wherever it is stored. The set is written before the queues are searched:
 * an enqueue racing this call either is found here or finds the set entry itself.
 */
export function createRevoke(ctx: RedisContext) {
  return async (id: string, options?: { terminate?: boolean }): Promise<void> => {
    await ctx.conn.client.zadd(ctx.keys.revoked, ctx.clock.now(), id)
    const queues = await ctx.queues.list()
    await Promise.all(queues.map((queue) => revokeStored(ctx, queue, id, options?.terminate === true)))
  }
}
