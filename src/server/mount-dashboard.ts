import type { Hono } from 'hono'
import type { ApiDeps } from '../api/api-deps.ts'
import { eventsRoute } from '../api/routes/events-route.ts'
import type { AuthEnv } from '../auth/principal.ts'
import { createDashboard } from '../dashboard/create-dashboard.ts'

/**
 * Mounts the dashboard on the api's app at the configured base path (`/` by default), with the
 * API's event stream behind its session. Under a base path, `/base/` (as proxies and people type
 * it) redirects to the overview at `/base`.
 */
export function mountDashboard(app: Hono<AuthEnv>, deps: ApiDeps): void {
  const base = deps.config.basePath
  if (base) app.get(`${base}/`, (c) => c.redirect(base, 308))
  app.route(base || '/', createDashboard(deps, eventsRoute(deps)))
}
