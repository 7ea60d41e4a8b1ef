import type { Hono } from 'hono'
import type { ApiDeps } from '../api/api-deps.ts'
import { eventsRoute } from '../api/routes/events-route.ts'
import type { AuthEnv } from '../auth/principal.ts'
import { createDashboard } from '../dashboard/create-dashboard.ts'

/**
 * Mounts the dashboard on the api's app at the configured base path (`/` by default), with the
 * API's event stream behind its session. `/base/` (as proxies and people type it) is the overview
 * too: the app's routes do not care for a trailing slash.
 */
export function mountDashboard(app: Hono<AuthEnv>, deps: ApiDeps): void {
  const base = deps.config.basePath
  app.route(base || '/', createDashboard(deps, eventsRoute(deps)))
}
