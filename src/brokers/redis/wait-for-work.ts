import type { RedisContext } from './redis-context.ts'

/** In a cluster each queue has its own slot: a multi-queue worker blocks on its first queue only, this long at most. */
const CROSS_SLOT_WAIT_MS = 100
/** After a failed wait (connection lost), pause this long so a dead server does not make a hot loop. */
const FAILED_WAIT_PAUSE_MS = 100

/**
 * Parks on the queues' signal lists (BLPOP on the dedicated connection) until an enqueue, retry,
 * release or recovery pushes a token, or `waitMs` passes. A lost connection ends the wait early;
 * the caller simply reserves again (ioredis reconnects meanwhile).
 */
export async function waitForWork(ctx: RedisContext, queues: string[], waitMs: number): Promise<void> {
  const blocking = ctx.conn.blocking
  if (!blocking) return
  try {
    await blocking.blpop(...waitArgs(ctx, queues, waitMs))
  } catch (err) {
    await waitFailed(ctx, err)
  }
}

/** BLPOP's arguments for these queues' signal lists: the keys, then the timeout in seconds. */
export function waitArgs(
  ctx: RedisContext,
  queues: string[],
  waitMs: number,
): [...keys: string[], timeoutSeconds: string] {
  let signals = queues.map((q) => ctx.keys.queue(q).signal)
  let ms = waitMs
  if (ctx.cluster && signals.length > 1) {
    signals = signals.slice(0, 1)
    ms = Math.min(ms, CROSS_SLOT_WAIT_MS)
  }
  return [...signals, Math.max(0.01, ms / 1000).toFixed(3)]
}

/** A wait ended by an error (a lost connection): pause, so a dead server does not make a hot loop. */
export async function waitFailed(ctx: RedisContext, err: unknown): Promise<void> {
  ctx.log.debug('redis broker: wait for work ended by an error', { error: String(err) })
  await Bun.sleep(FAILED_WAIT_PAUSE_MS)
}
