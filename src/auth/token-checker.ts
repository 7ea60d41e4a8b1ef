import { createHash, timingSafeEqual } from 'node:crypto'
import type { ApiToken } from '../config/api-token-spec.ts'
import type { Principal } from './principal.ts'

interface Known {
  hash: Buffer
  principal: Principal
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/**
 * Matches a presented token against the configured ones in constant time: both sides are hashed
 * first (so lengths never differ) and every configured token is compared, match or not. Only the
 * hash's prefix is kept as the principal's key, for logs and rate buckets.
 */
export function createTokenChecker(tokens: readonly ApiToken[]): (presented: string) => Principal | null {
  const known: Known[] = tokens.map((t) => {
    const hash = sha256(t.token)
    return { hash, principal: { key: `t_${hash.toString('hex').slice(0, 12)}`, scopes: t.scopes } }
  })
  return (presented) => {
    const hash = sha256(presented)
    let found: Principal | null = null
    for (const k of known) {
      if (timingSafeEqual(k.hash, hash)) found = k.principal
    }
    return found
  }
}
