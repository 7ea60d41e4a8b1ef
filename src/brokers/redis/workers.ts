import type { WorkerInfo, WorkerStatus } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'

/** Stores a worker's snapshot; the first heartbeat of a name is announced as worker:online. */
export function createHeartbeat(ctx: RedisContext) {
  const { keys } = ctx
  return async (info: WorkerInfo): Promise<void> => {
    const now = ctx.clock.now()
    const args = [info.name, now, JSON.stringify(info), ctx.workerTtlMs]
    const fresh = await ctx.conn.run('heartbeat', [keys.workerIndex, keys.worker(info.name)], args)
    if (fresh !== 1) return
    const { name, host, pid, queues, concurrency } = info
    const data = JSON.stringify({ name, host, pid, queues, concurrency })
    ctx.events.append([{ type: 'worker:online', at: now, taskId: null, task: null, queue: null, data }])
  }
}

/** Every known worker, online when heard from within `offlineAfterMs`. */
export function createListWorkers(ctx: RedisContext) {
  const { keys } = ctx
  return async (offlineAfterMs: number): Promise<WorkerStatus[]> => {
    const now = ctx.clock.now()
    const flat = await ctx.conn.client.zrange(keys.workerIndex, '0', '-1', 'WITHSCORES')
    const names: string[] = []
    const seen: number[] = []
    for (let i = 0; i < flat.length; i += 2) {
      names.push(flat[i] as string)
      seen.push(Number(flat[i + 1]))
    }
    if (names.length === 0) return []
    const infos = await ctx.conn.client.mget(...names.map((n) => keys.worker(n)))
    const out: WorkerStatus[] = []
    infos.forEach((text, i) => {
      if (text == null) return
      const lastHeartbeat = seen[i] as number
      out.push({
        ...(JSON.parse(text) as WorkerInfo),
        name: names[i] as string,
        lastHeartbeat,
        online: now - lastHeartbeat <= offlineAfterMs,
      })
    })
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }
}

/** Forgets workers silent for longer than `olderThanMs`, announcing each as worker:offline. */
export function createPruneWorkers(ctx: RedisContext) {
  const { keys } = ctx
  return async (olderThanMs: number): Promise<number> => {
    const now = ctx.clock.now()
    const gone = (await ctx.conn.run(
      'pruneWorkers',
      [keys.workerIndex],
      [keys.workerPrefix, now - olderThanMs],
    )) as string[]
    ctx.events.append(
      gone.map((name) => ({
        type: 'worker:offline',
        at: now,
        taskId: null,
        task: null,
        queue: null,
        data: JSON.stringify({ name }),
      })),
    )
    return gone.length
  }
}
