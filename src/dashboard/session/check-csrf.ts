import type { MiddlewareHandler } from 'hono'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { messagePage } from '../views/message-page.tsx'
import { CSRF_FIELD } from './csrf-field.ts'

/**
 * Every POST carries the session's CSRF token (a form field, or the x-csrf-token header),
 * compared in constant time. SameSite=Strict already keeps the cookie off cross-site requests;
 * the token also covers browsers and proxies that do not honour it.
 */
export function checkCsrf(dash: DashboardContext): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const header = c.req.header('x-csrf-token')
    const type = c.req.header('content-type') ?? ''
    const isForm =
      type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
    // A body that does not parse has no token: refused like a missing one, not a 500.
    const body = isForm && header === undefined ? await c.req.parseBody().catch(() => ({})) : {}
    const field = header ?? (body as Record<string, unknown>)[CSRF_FIELD]
    if (typeof field !== 'string' || !dash.codec.checkCsrf(c.get('session'), field)) {
      return messagePage(
        c,
        dash,
        403,
        'Request refused',
        'The form had expired. Reload the page and try again.',
      )
    }
    return next()
  }
}
