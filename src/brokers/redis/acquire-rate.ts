import type { RateLimit } from '../../core/rate-limit.ts'
import type { RedisContext } from './redis-context.ts'

/** Takes one token from a bucket shared by every process (one script, the bucket's own slot). */
export function createAcquireRate(ctx: RedisContext) {
  return async (key: string, limit: RateLimit): Promise<number> => {
    const args = [ctx.clock.now(), limit.count, limit.perMs]
    return Number(await ctx.conn.run('acquireRate', [ctx.keys.rate(key)], args))
  }
}

/** Proves the server is reachable and accepts writes (a read-only replica or a full server fails). */
export function createPing(ctx: RedisContext) {
  return async (): Promise<void> => {
    await ctx.conn.client.set(ctx.keys.probe, String(ctx.clock.now()))
  }
}
