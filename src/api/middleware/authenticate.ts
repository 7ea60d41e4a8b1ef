import type { MiddlewareHandler } from 'hono'
import { markAuthenticated } from '../../auth/authenticated-mark.ts'
import { clientIp } from '../../auth/client-ip.ts'
import type { FailureWindow } from '../../auth/failure-window.ts'
import type { AuthEnv, Principal } from '../../auth/principal.ts'
import { createTokenChecker } from '../../auth/token-checker.ts'
import { API_SCOPES } from '../../config/api-token-spec.ts'
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import { ApiError } from '../api-error.ts'
import type { ApiSettings } from '../api-settings.ts'

const INSECURE: Principal = { key: 'insecure', scopes: new Set(API_SCOPES) }
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="celeriac"' }

function unauthorized(message: string, invalid: boolean): ApiError {
  const challenge = invalid ? 'Bearer realm="celeriac", error="invalid_token"' : CHALLENGE['WWW-Authenticate']
  return new ApiError(401, 'unauthorized', message, {}, { 'WWW-Authenticate': challenge })
}

function tooManyFailures(blockedMs: number): ApiError {
  const retryAfter = String(Math.ceil(blockedMs / 1000))
  return new ApiError(
    429,
    'too_many_failures',
    'too many failed authentications; wait and retry',
    {},
    { 'Retry-After': retryAfter },
  )
}

/**
 * Bearer-token authentication. A token in the query string is never looked at (it would end up in
 * access logs). Wrong tokens are counted per client IP in `failures` (shared with the dashboard's
 * login): past the limit that IP's further guesses get 429s, while a valid token still gets in (the
 * lock stops guessing; it must not lock out a user who shares the address, a NAT or a proxy). The
 * token itself is never logged; the principal's key is a hash prefix.
 */
export function authenticate(
  settings: ApiSettings,
  failures: FailureWindow,
  clock: Clock,
  log: Logger,
): MiddlewareHandler<AuthEnv> {
  const check = createTokenChecker(settings.tokens)
  return async (c, next) => {
    if (settings.insecure) {
      c.set('principal', INSECURE)
      markAuthenticated(c)
      return next()
    }
    const header = c.req.header('authorization')
    if (header === undefined) throw unauthorized('send Authorization: Bearer <token>', false)
    const principal = check(BEARER.exec(header)?.[1] ?? '')
    if (principal) {
      c.set('principal', principal)
      markAuthenticated(c)
      return next()
    }
    const ip = clientIp(c, settings.trustedProxies)
    const blockedMs = failures.blockedFor(ip, clock.now())
    if (blockedMs > 0) throw tooManyFailures(blockedMs)
    failures.record(ip, clock.now())
    log.warn('api: rejected a bad token', { ip, path: c.req.path })
    throw unauthorized('invalid token', true)
  }
}
