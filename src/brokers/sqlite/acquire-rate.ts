import type { RateLimit } from '../../core/rate-limit.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

interface Bucket {
  tokens: number
  updated_at: number
}

/**
 * A token bucket per key, refilled continuously at count/perMs and capped at count. Read and
 * update share one write transaction, so processes on the file draw from one bucket.
 */
export function createAcquireRate(ctx: SqliteContext): (key: string, limit: RateLimit) => number {
  const { db, clock } = ctx
  const read = db.prepare<Bucket, [string]>('SELECT tokens, updated_at FROM rate_buckets WHERE key = ?')
  const write = db.prepare(
    `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
  )
  return writeTx(db, (key: string, limit: RateLimit): number => {
    const now = clock.now()
    const rate = limit.count / limit.perMs
    const bucket = read.get(key)
    const elapsed = bucket ? Math.max(0, now - bucket.updated_at) : 0
    const tokens = bucket ? Math.min(limit.count, bucket.tokens + elapsed * rate) : limit.count
    if (tokens >= 1) {
      write.run(key, tokens - 1, now)
      return 0
    }
    write.run(key, tokens, now)
    return Math.max(1, Math.ceil((1 - tokens) / rate))
  })
}

/** Proves the file is writable: a one-row upsert in a write transaction. */
export function createPing(ctx: SqliteContext): () => void {
  const touch = ctx.db.prepare(
    'INSERT INTO probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
  )
  return writeTx(ctx.db, () => {
    touch.run(ctx.clock.now())
  })
}
