/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono'
import { clientIp } from '../../auth/client-ip.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { homePath, isDashboardPath } from '../home-path.ts'
import { writeSession } from '../session/session-middleware.ts'
import { LoginView } from '../views/login-view.tsx'
import { render } from '../views/render.tsx'

/** Where to go after login: a path of this dashboard only (never an open redirect). */
export function safeNext(next: unknown, base: string): string {
  return typeof next === 'string' && isDashboardPath(next, base) ? next : homePath(base)
}

function loginPage(c: Context<DashboardEnv>, dash: DashboardContext, next: string, error: string | null) {
  const status = error ? 401 : 200
  return render(
    c,
    dash,
    { title: 'Log in', nav: null, status },
    <LoginView base={dash.base} csrf={c.get('csrf')} next={next} error={error} />,
  )
}

/** Login with an API token, logout; both POSTs pass the CSRF check like every other form. */
export function loginRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const now = () => dash.deps.clock.now()
  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'), dash.base)
    if (c.get('viewer')) return c.redirect(next, 303)
    return loginPage(c, dash, next, null)
  })
  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(form.next, dash.base)
    const principal = typeof form.token === 'string' ? dash.checkToken(form.token.trim()) : null
    if (!principal) {
      // Counted in the API's budget: a guess here or as a bearer token costs the same. Past the
      // limit only guesses are refused; a valid token (checked above) always logs in.
      const failures = dash.deps.authFailures
      const ip = clientIp(c, dash.deps.settings.trustedProxies)
      if (failures.blockedFor(ip, now()) > 0) {
        return loginPage(c, dash, next, 'Too many failed attempts. Wait a minute and try again.')
      }
      failures.record(ip, now())
      dash.deps.log.warn('dashboard: rejected a login', { ip })
      return loginPage(c, dash, next, 'That token is not valid.')
    }
    // A new session id at login: a session id planted before it (fixation) is worthless after.
    writeSession(c, dash, dash.codec.create(principal.key, now() + dash.sessionTtlMs))
    return c.redirect(next, 303)
  })
  app.post('/logout', async (c) => {
    // Ended on the server too: a copy of the cookie (a shared machine, a leaked log) is refused.
    const session = c.get('session')
    if (session.principalKey !== null) await dash.revocations.revoke(session)
    writeSession(c, dash, dash.codec.create(null, now() + dash.sessionTtlMs))
    return c.redirect(`${dash.base}/login`, 303)
  })
  return app
}
