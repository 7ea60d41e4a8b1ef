import type { RecoverOutcome } from '../broker.ts'
import type { EventRecord } from './event-log.ts'
import type { RedisContext } from './redis-context.ts'
import { deleteExpiredResults } from './results.ts'

/** Leases recovered per queue per call; the worker calls again every half lease. */
const RECOVER_LIMIT = 1_000
/** Expired results dropped per queue per call, so memory stays flat even if cleanup never runs. */
const TRIM_LIMIT = 500

const WORKER_LOST = JSON.stringify({
  type: 'WorkerLostError',
  message: 'worker lost: the lease expired too many times',
  stack: null,
  code: 'worker_lost',
})

/** Takes back tasks whose lease expired, in every known queue (one script per queue). */
export function createRecoverExpired(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  return async (maxRedeliveries: number): Promise<RecoverOutcome> => {
    const now = clock.now()
    const queues = await ctx.queues.list()
    const replies = await Promise.all(
      queues.map((queue) => {
        const k = keys.queue(queue)
        const args = [k.taskPrefix, now, maxRedeliveries, ctx.deadTtlMs, RECOVER_LIMIT]
        return conn.run('recoverExpired', [k.ready, k.leases, k.done, k.dead, k.signal], args)
      }),
    )
    await Promise.all(queues.map((queue) => deleteExpiredResults(ctx, queue, now, TRIM_LIMIT)))
    const out: RecoverOutcome = { requeued: [], dead: [] }
    const events: EventRecord[] = []
    queues.forEach((queue, q) => {
      const [requeued, dead] = replies[q] as [(string | number)[], (string | number)[]]
      for (let i = 0; i < requeued.length; i += 3) {
        out.requeued.push(String(requeued[i]))
        events.push(recovered(queue, requeued, i, now, false))
      }
      for (let i = 0; i < dead.length; i += 3) {
        out.dead.push(String(dead[i]))
        events.push(recovered(queue, dead, i, now, true))
        const data = `{"reason":"worker_lost","error":${WORKER_LOST}}`
        events.push({
          type: 'task:failed',
          at: now,
          taskId: String(dead[i]),
          task: String(dead[i + 1]),
          queue,
          data,
        })
      }
    })
    ctx.events.append(events)
    return out
  }
}

function recovered(
  queue: string,
  list: (string | number)[],
  i: number,
  now: number,
  dead: boolean,
): EventRecord {
  const data = JSON.stringify({ redeliveries: Number(list[i + 2]), dead })
  return { type: 'task:recovered', at: now, taskId: String(list[i]), task: String(list[i + 1]), queue, data }
}
