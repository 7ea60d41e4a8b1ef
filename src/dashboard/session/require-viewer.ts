import type { MiddlewareHandler } from 'hono'
import type { ApiScope } from '../../config/api-token-spec.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { messagePage } from '../views/message-page.tsx'
import { isFragment } from '../views/render.tsx'

/**
 * A page for a logged-in principal holding `scope` (`admin` holds all). A visitor opening a page
 * is sent to the login form, which brings them back; script requests (fragments, the event
 * stream, form posts) get a 401 instead of a redirect they could not follow.
 */
export function requireViewer(dash: DashboardContext, scope: ApiScope): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const viewer = c.get('viewer')
    if (!viewer) {
      const page = c.req.method === 'GET' && !isFragment(c) && !c.req.path.endsWith('/events')
      if (!page) return c.text('log in first', 401)
      const url = new URL(c.req.url)
      const back = encodeURIComponent(`${url.pathname}${url.search}`)
      return c.redirect(`${dash.base}/login?next=${back}`, 303)
    }
    if (!viewer.scopes.has(scope) && !viewer.scopes.has('admin')) {
      return messagePage(c, dash, 403, 'Not allowed', `This token lacks the '${scope}' scope.`)
    }
    c.set('principal', viewer)
    return next()
  }
}
