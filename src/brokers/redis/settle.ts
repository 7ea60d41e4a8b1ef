import type { Settlement, SettleOutcome } from '../broker.ts'
import { settlementEvent } from '../settlement-event.ts'
import type { EventRecord } from './event-log.ts'
import { gateArg } from './gate-arg.ts'
import { groupByQueue, type RedisContext } from './redis-context.ts'
import { checkScriptReply } from './script-errors.ts'

/** The 7 script arguments of one settlement: kind, id, token, gate, a1, a2, a3 (see settle-6.lua). */
function encode(s: Settlement): (string | number)[] {
  const head = [s.kind, s.lease.id, s.lease.token, gateArg(s.lease.message)]
  switch (s.kind) {
    case 'ack': {
      const result = s.lease.message.ignoreResult || s.result == null ? '' : JSON.stringify(s.result)
      return [...head, result, s.runtimeMs, s.lease.message.resultExpires ?? '']
    }
    case 'retry':
      return [...head, s.at, JSON.stringify(s.error), '']
    case 'fail':
      return [...head, JSON.stringify(s.error), s.reason, s.runtimeMs ?? '']
    case 'revoked':
      return [...head, s.reason, '', '']
    case 'release':
      return [...head, s.started ? '1' : '0', s.at ?? '', '']
  }
}

/** Records a batch of outcomes: one fenced script per queue, all sent in one round trip. */
export function createSettle(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  return async (settlements: Settlement[]): Promise<SettleOutcome[]> => {
    if (settlements.length === 0) return []
    const now = clock.now()
    // A lone outcome (a worker at concurrency 1, or a quiet one) and the claim its worker sends
    // next leave in one write. A batch is sent at once: a busy worker's next claim may be a turn
    // away, and the batch would wait for it (drain at concurrency 50 lost ~12 % when every
    // settle held its writes).
    if (settlements.length === 1) conn.holdWrites?.()
    ctx.events.sendWithNext()
    const groups = groupByQueue(settlements, (s) => s.lease.message.queue)
    const calls = [...groups].map(([queue, items]) => {
      const k = keys.queue(queue)
      const args: (string | number)[] = [k.taskPrefix, now, ctx.resultTtlMs, ctx.deadTtlMs]
      for (const { item } of items) args.push(...encode(item))
      return conn.run('settle', [k.ready, k.delayed, k.leases, k.done, k.dead, k.signal], args)
    })
    const replies = (await Promise.all(calls)) as number[][]
    const outcomes: SettleOutcome[] = new Array(settlements.length)
    const events: EventRecord[] = []
    ;[...groups.values()].forEach((items, g) => {
      items.forEach(({ item, index }, i) => {
        const reply = checkScriptReply('settle', replies[g]?.[i])
        outcomes[index] = reply === 1 ? 'ok' : reply === 0 ? 'lease_lost' : 'already_settled'
        // A resend (2) lost the first call's reply, so that call appended no event: append it now.
        if (reply === 1 || reply === 2) events.push(settlementEvent(item, now))
      })
    })
    ctx.events.append(events)
    return outcomes
  }
}
