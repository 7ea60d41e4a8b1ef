import type { TaskMessage } from '../../core/message.ts'
import type { EnqueueOptions, EnqueueOutcome } from '../broker.ts'
import type { EventRecord } from './event-log.ts'
import { gateArg } from './gate-arg.ts'
import { groupByQueue, type RedisContext } from './redis-context.ts'
import { revokeStored } from './revoke.ts'

const DAY_MS = 24 * 3600 * 1000

/**
 * Stores a batch, one script per queue (atomic per queue). Each reply entry is 1 (created) or the
 * id of the task a live idempotency key or a stored id matched. Ids revoked before they arrived
 * are then finalised REVOKED: the revocation set lives in another slot, so it is read after the
 * script (on the same connection in standalone mode, after the reply in cluster mode); a revoke
 * racing that read still finds the stored task itself.
 */
export function createEnqueue(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  return async (messages: TaskMessage[], options?: EnqueueOptions): Promise<EnqueueOutcome[]> => {
    if (messages.length === 0) return []
    const now = clock.now()
    const windowMs = options?.idempotencyWindowMs ?? DAY_MS
    ctx.events.sendWithNext()
    const groups = groupByQueue(messages, (m) => m.queue)
    const announced = ctx.queues.announce(groups.keys())
    const calls = [...groups].map(([queue, items]) => {
      const k = keys.queue(queue)
      const args: (string | number)[] = [k.taskPrefix, k.idempotencyPrefix, now, windowMs, k.uniquePrefix]
      for (const { item: m } of items) {
        args.push(m.id, m.task, m.priority, JSON.stringify(m))
        pushOptions(args, m)
      }
      return conn.run('enqueue', [k.ready, k.delayed, k.all, k.signal], args)
    })
    const ids = messages.map((m) => m.id)
    // Standalone: one connection keeps this read after the scripts; a cluster (or HTTP) reads after the replies.
    const sameTick = ctx.cluster || !conn.ordered ? null : conn.client.zmscore(keys.revoked, ...ids)
    const [replies, sameTickRevoked] = await Promise.all([
      Promise.all(calls) as Promise<(string | number)[][]>,
      sameTick,
      announced,
    ])
    const outcomes: EnqueueOutcome[] = new Array(messages.length)
    const events: EventRecord[] = []
    ;[...groups.values()].forEach((items, g) => {
      items.forEach(({ item: m, index }, i) => {
        const reply = replies[g]?.[i]
        const created = reply === 1
        outcomes[index] = { id: created ? m.id : String(reply), created }
        if (created) events.push(enqueuedEvent(m, now))
      })
    })
    ctx.events.append(events)
    const revoked = sameTickRevoked ?? (await conn.client.zmscore(keys.revoked, ...ids))
    await finaliseRevoked(ctx, messages, revoked, outcomes)
    return outcomes
  }
}

/** A task's options as lua/enqueue-4.lua takes them: "" when it has none, else "6" and the six. */
function pushOptions(args: (string | number)[], m: TaskMessage): void {
  const gate = gateArg(m)
  const { eta, expires, idempotencyKey, unique } = m
  if (eta == null && expires == null && idempotencyKey == null && unique == null && gate === '') {
    args.push('')
    return
  }
  args.push('6', eta ?? '', expires ?? '', idempotencyKey ?? '', unique?.key ?? '', unique?.until ?? '', gate)
}

function enqueuedEvent(m: TaskMessage, now: number): EventRecord {
  const data = `{"priority":${m.priority},"eta":${m.eta ?? null}}`
  return { type: 'task:enqueued', at: now, taskId: m.id, task: m.task, queue: m.queue, data }
}

async function finaliseRevoked(
  ctx: RedisContext,
  messages: TaskMessage[],
  scores: (string | null)[],
  outcomes: EnqueueOutcome[],
): Promise<void> {
  const hits = messages.filter((_m, i) => scores[i] != null && outcomes[i]?.created)
  for (const m of hits) await revokeStored(ctx, m.queue, m.id, false)
}
