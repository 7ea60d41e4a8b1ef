import type { Revocation } from '../broker.ts'
import type { SqliteContext } from './sqlite-context.ts'

/** Revocations still recorded, newest first: what `inspect revoked` shows. */
export function createListRevoked(ctx: SqliteContext): (limit: number) => Revocation[] {
  const newest = ctx.db.prepare<Revocation, [number]>(
    'SELECT id, at FROM revocations ORDER BY at DESC, id LIMIT ?',
  )
  return (limit) => newest.all(Math.max(0, Math.floor(limit)))
}
