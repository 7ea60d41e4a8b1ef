import type { Context, MiddlewareHandler } from 'hono'
import { markAuthenticated, whenAuthenticated } from '../../auth/authenticated-mark.ts'
import { clientIp, pinPeer } from '../../auth/client-ip.ts'
import type { Cidr } from '../../security/ip-address.ts'
import { BodyTimeoutError } from '../body/body-stream-errors.ts'
import { deadlineBody } from '../body/deadline-body.ts'

export interface BodyGuardSettings {
  /** From the request's start to the body's last byte. */
  bodyTimeoutMs: number
  /** Requests per client IP whose body is still arriving. */
  maxUnauthenticatedBodies: number
  trustedProxies: readonly Cidr[]
}

function bodyTimeout(c: Context, timeoutMs: number): Response {
  const message = new BodyTimeoutError(timeoutMs).message
  return c.json({ error: 'request_timeout', message }, 408, { connection: 'close' })
}

function closeAfterAnswer(res: Response): void {
  try {
    res.headers.set('connection', 'close')
  } catch {
    // Immutable headers (a fetched Response passed through): Bun's idle timeout still ends it.
  }
}

/**
 * The first middleware of the app (API and dashboard): every request body must arrive within
 * `bodyTimeoutMs` (else 408). One client IP may have at most `maxUnauthenticatedBodies` bodies
 * arriving at once before it is authenticated (else 429, before any of it is read): those are what
 * an anonymous client could hold sockets open with, while an authenticated backend is never capped.
 * A request answered before its body was read (a 401 without a token) closes its connection
 * instead of leaving it open for the rest of a body no one reads.
 */
export function guardRequestBody(settings: BodyGuardSettings): MiddlewareHandler {
  const pending = new Map<string, number>()
  const release = (ip: string) => {
    const left = (pending.get(ip) ?? 1) - 1
    if (left <= 0) pending.delete(ip)
    else pending.set(ip, left)
  }
  return async (c, next) => {
    const body = c.req.raw.body
    if (!body) return next()
    // Bun knows the peer only of the Request it created; the one made below has none.
    pinPeer(c)
    const ip = clientIp(c, settings.trustedProxies)
    if ((pending.get(ip) ?? 0) >= settings.maxUnauthenticatedBodies) {
      const message = `more than ${settings.maxUnauthenticatedBodies} request bodies arriving from one client`
      return c.json({ error: 'too_many_pending_bodies', message }, 429, { connection: 'close' })
    }
    pending.set(ip, (pending.get(ip) ?? 0) + 1)
    let counted = true
    const releaseOnce = () => {
      if (counted) release(ip)
      counted = false
    }
    // Counted until the body is in or the request is authenticated, whichever comes first.
    whenAuthenticated(c, releaseOnce)
    const guarded = deadlineBody(body, settings.bodyTimeoutMs, releaseOnce)
    c.req.raw = new Request(c.req.raw, { body: guarded.stream, duplex: 'half' } as RequestInit)
    try {
      await next()
    } finally {
      guarded.dispose()
      markAuthenticated(c)
      releaseOnce()
      const state = guarded.state()
      // Whatever a handler made of a body cut short (a form without its token, say), the answer is 408.
      if (state === 'timed-out' && c.res.status !== 408) c.res = bodyTimeout(c, settings.bodyTimeoutMs)
      if (state !== 'received') closeAfterAnswer(c.res)
    }
  }
}
