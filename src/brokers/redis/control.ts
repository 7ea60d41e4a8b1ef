import type { Json } from '../../core/json.ts'
import type { ControlCommand, ControlMessage, ControlReply } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'

/** Commands kept in the log; older ones are dropped (they are past the control TTL long before). */
const KEEP = 1_000

/** Appends a command for one worker (or all when target is null); returns its seq. */
export function createSendControl(ctx: RedisContext) {
  return async (
    command: ControlCommand,
    target: string | null,
    args?: Record<string, Json>,
  ): Promise<number> => {
    const body = `"command":${JSON.stringify(command)},"target":${JSON.stringify(target)},"args":${JSON.stringify(args ?? {})},"createdAt":${ctx.clock.now()}}`
    const seq = await ctx.conn.run('sendControl', [ctx.keys.controlSeq, ctx.keys.controlLog], [body, KEEP])
    return Number(seq)
  }
}

/**
 * Commands for `worker` after `afterSeq`, read from the log by the worker's periodic poll.
 * Commands older than the control TTL are not delivered, so a late starter never obeys a stale
 * broadcast such as `shutdown`.
 */
export function createPollControl(ctx: RedisContext) {
  return async (worker: string, afterSeq: number): Promise<ControlMessage[]> => {
    const oldest = ctx.clock.now() - ctx.controlTtlMs
    const members = await ctx.conn.client.zrangebyscore(ctx.keys.controlLog, `(${afterSeq}`, '+inf')
    return members
      .map((m) => JSON.parse(m) as ControlMessage)
      .filter((m) => (m.target === null || m.target === worker) && m.createdAt >= oldest)
  }
}

export function createReplyControl(ctx: RedisContext) {
  return async (reply: Omit<ControlReply, 'at'>): Promise<void> => {
    const text = JSON.stringify({ worker: reply.worker, reply: reply.reply, at: ctx.clock.now() })
    const keys = [ctx.keys.controlLog, ctx.keys.controlReplies(reply.seq)]
    await ctx.conn.run('replyControl', keys, [reply.seq, text, ctx.controlTtlMs])
  }
}

export function createReadReplies(ctx: RedisContext) {
  return async (seq: number): Promise<ControlReply[]> => {
    const items = await ctx.conn.client.lrange(ctx.keys.controlReplies(seq), 0, -1)
    return items.map((text) => {
      const r = JSON.parse(text) as { worker: string; reply: Json; at: number }
      return { seq, worker: r.worker, reply: r.reply, at: r.at }
    })
  }
}
