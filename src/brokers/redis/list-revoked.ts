import type { Revocation } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'

/** Revocations still in the revoked set (score: time of the revoke), newest first. */
export function createListRevoked(ctx: RedisContext) {
  return async (limit: number): Promise<Revocation[]> => {
    const count = Math.max(0, Math.floor(limit))
    if (count === 0) return []
    const flat = await ctx.conn.client.zrevrangebyscore(
      ctx.keys.revoked,
      '+inf',
      '-inf',
      'WITHSCORES',
      'LIMIT',
      0,
      count,
    )
    const found: Revocation[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) found.push({ id: String(flat[i]), at: Number(flat[i + 1]) })
    return found
  }
}
