import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ApiToken } from '../../config/api-token-spec.ts'

/** What the session cookie carries. Never the token: only the principal key (a hash prefix). */
export interface Session {
  /** Random per session: the CSRF token is derived from it. */
  id: string
  /** The logged-in principal's key, or null for a visitor not (yet) logged in. */
  principalKey: string | null
  expiresAt: number
}

const VERSION = 'v1'
const SID_BYTES = 18

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url')
}

/** Equal strings, compared in constant time (hashed first, so lengths never leak). */
function sameText(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

/**
 * The signing key. With tokens it is derived from all of them: every api process with the same
 * config accepts the same cookies (no shared session store), and changing the tokens logs everyone
 * out. Without tokens (--insecure, one local process) a random key per process is enough.
 */
export function sessionKey(tokens: readonly ApiToken[]): Buffer {
  if (tokens.length === 0) return randomBytes(32)
  const material = tokens.map((t) => t.token).sort()
  return createHash('sha256')
    .update(`celeriac-dashboard-${VERSION}\0${material.join('\0')}`)
    .digest()
}

/**
 * HMAC-signed session cookies and the per-session CSRF tokens derived from them. Stateless, so a
 * session survives an api restart and works across api machines behind a load balancer.
 */
export class SessionCodec {
  constructor(private readonly key: Buffer) {}

  create(principalKey: string | null, expiresAt: number): Session {
    return { id: randomBytes(SID_BYTES).toString('base64url'), principalKey, expiresAt }
  }

  encode(s: Session): string {
    const body = `${VERSION}.${s.id}.${s.principalKey ?? '-'}.${s.expiresAt}`
    return `${body}.${mac(this.key, body)}`
  }

  /** The session in a cookie value, or null when it is malformed, forged or expired. */
  decode(value: string | undefined, now: number): Session | null {
    const parts = value?.split('.') ?? []
    if (parts.length !== 5 || parts[0] !== VERSION) return null
    const [, id = '', principal = '', expires = '', signature = ''] = parts
    if (!sameText(signature, mac(this.key, parts.slice(0, 4).join('.')))) return null
    const expiresAt = Number(expires)
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null
    return { id, principalKey: principal === '-' ? null : principal, expiresAt }
  }

  csrfToken(s: Session): string {
    return mac(this.key, `csrf.${s.id}`)
  }

  checkCsrf(s: Session, presented: string): boolean {
    return sameText(presented, this.csrfToken(s))
  }
}
