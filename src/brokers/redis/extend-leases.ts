import type { Json } from '../../core/json.ts'
import type { ExtendOutcome, Lease, SettleOutcome } from '../broker.ts'
import { groupByQueue, type RedisContext } from './redis-context.ts'

/** Renews a batch of leases (one script per queue, one round trip) and reports revocations. */
export function createExtendLeases(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  return async (leases: Lease[], leaseMs: number): Promise<ExtendOutcome[]> => {
    if (leases.length === 0) return []
    const now = clock.now()
    const groups = groupByQueue(leases, (l) => l.message.queue)
    const calls = [...groups].map(([queue, items]) => {
      const k = keys.queue(queue)
      const args: (string | number)[] = [k.taskPrefix, now, leaseMs]
      for (const { item } of items) args.push(item.id, item.token)
      return conn.run('extendLeases', [k.leases], args)
    })
    const replies = (await Promise.all(calls)) as number[][]
    const out: ExtendOutcome[] = new Array(leases.length)
    ;[...groups.values()].forEach((items, g) => {
      items.forEach(({ item, index }, i) => {
        const code = replies[g]?.[i] ?? 0
        const revocation = Math.floor(code / 10)
        out[index] = {
          id: item.id,
          ok: code % 10 === 1,
          revoked: revocation === 0 ? null : { terminate: revocation === 2 },
        }
      })
    })
    return out
  }
}

/** Marks a running task STARTED or PROGRESS, fenced by its lease. */
export function createSetState(ctx: RedisContext) {
  return async (lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json): Promise<SettleOutcome> => {
    const now = ctx.clock.now()
    const { id, message } = lease
    const metaJson = meta === undefined ? null : JSON.stringify(meta)
    const k = ctx.keys.queue(message.queue)
    const args = [lease.token, state, now, metaJson === null ? '0' : '1', metaJson ?? '', id]
    if ((await ctx.conn.run('setState', [k.task(id), k.leases], args)) !== 1) return 'lease_lost'
    const data =
      state === 'STARTED' ? JSON.stringify({ attempt: lease.attempt }) : `{"meta":${metaJson ?? 'null'}}`
    const type = state === 'STARTED' ? 'task:started' : 'task:progress'
    ctx.events.append([{ type, at: now, taskId: id, task: message.task, queue: message.queue, data }])
    return 'ok'
  }
}
