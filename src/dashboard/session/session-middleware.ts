import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { markAuthenticated } from '../../auth/authenticated-mark.ts'
import type { Principal } from '../../auth/principal.ts'
import { API_SCOPES } from '../../config/api-token-spec.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import type { Session } from './session-codec.ts'

export const SESSION_COOKIE = 'celeriac_session'
const INSECURE: Principal = { key: 'insecure', scopes: new Set(API_SCOPES) }

/** Behind a TLS-terminating proxy the request URL says http; the proxy's header says https. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

/** Writes the session cookie: HttpOnly (no script reads it), SameSite=Strict, scoped to the base path. */
export function writeSession(c: Context<DashboardEnv>, dash: DashboardContext, session: Session): void {
  setCookie(c, SESSION_COOKIE, dash.codec.encode(session), {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c),
    path: dash.base || '/',
    expires: new Date(session.expiresAt),
  })
  c.set('session', session)
  c.set('csrf', dash.codec.csrfToken(session))
}

/** A logged-in session that logout ended (here or on another api process sharing the broker). */
async function hasEnded(dash: DashboardContext, session: Session): Promise<boolean> {
  return session.principalKey !== null && (await dash.revocations.isRevoked(session))
}

/**
 * Every request gets a session: a visitor's carries no principal but already has a CSRF token
 * (the login form needs one). A session whose token was removed from the config resolves to no one.
 * The cookie of a logged-out session is replaced by a visitor's: pages go to the login form, and
 * form posts get a 401 before anything reads their fields.
 */
export function sessionMiddleware(dash: DashboardContext): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const now = dash.deps.clock.now()
    const session = dash.codec.decode(getCookie(c, SESSION_COOKIE), now)
    const ended = session !== null && (await hasEnded(dash, session))
    if (session && !ended) {
      c.set('session', session)
      c.set('csrf', dash.codec.csrfToken(session))
    } else {
      writeSession(c, dash, dash.codec.create(null, now + dash.sessionTtlMs))
    }
    if (ended && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.text('this session was logged out: log in again', 401)
    }
    const key = c.get('session').principalKey
    const viewer = dash.deps.settings.insecure ? INSECURE : key === null ? null : dash.principals.get(key)
    c.set('viewer', viewer ?? null)
    if (viewer) markAuthenticated(c)
    return next()
  }
}
