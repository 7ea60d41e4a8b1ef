import type { Hono } from 'hono'
import type { ApiDeps } from '../api/api-deps.ts'
import type { ApiEnv } from '../api/api-env.ts'
import { createDashboard } from './create-dashboard.ts'

/**
 * Mounts the dashboard on the api's app at the configured base path (`/` by default). Under a
 * base path, `/base/` (as proxies and people type it) redirects to the overview at `/base`.
 */
export function mountDashboard(app: Hono<ApiEnv>, deps: ApiDeps): void {
  const base = deps.config.basePath
  if (base) app.get(`${base}/`, (c) => c.redirect(base, 308))
  // The dashboard's env is a superset of the API's (it adds the session).
  app.route(base || '/', createDashboard(deps) as unknown as Hono<ApiEnv>)
}
