import { Hono, type MiddlewareHandler } from 'hono'
import type { AuthEnv } from '../auth/principal.ts'
import { createDashboardContext } from './dashboard-context.ts'
import type { DashboardDeps } from './dashboard-deps.ts'
import type { DashboardEnv } from './dashboard-env.ts'
import { dashboardErrorHandler } from './dashboard-errors.ts'
import { assetRoutes } from './routes/asset-routes.ts'
import { loginRoutes } from './routes/login-routes.tsx'
import { overviewRoutes } from './routes/overview-routes.tsx'
import { queueRoutes } from './routes/queue-routes.tsx'
import { scheduleRoutes } from './routes/schedule-routes.tsx'
import { taskActions } from './routes/task-actions.ts'
import { taskRoutes } from './routes/task-routes.tsx'
import { workerRoutes } from './routes/worker-routes.tsx'
import { workflowRoutes } from './routes/workflow-routes.tsx'
import { checkCsrf } from './session/check-csrf.ts'
import { requireViewer } from './session/require-viewer.ts'
import { sessionMiddleware } from './session/session-middleware.ts'

/** Only this server's script and styles may run or apply: an escaping slip still cannot execute. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

/** The dashboard's own paths (below the base path); anything else is left to the API's 404. */
const OWN_PATH = /^\/(|assets|login|logout|events|tasks|dead|workers|queues|schedules|workflows)(\/|$)/

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('content-security-policy', CSP)
  c.header('x-content-type-options', 'nosniff')
  c.header('referrer-policy', 'same-origin')
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store')
}

/**
 * The dashboard: server-rendered pages over the broker's stored state, mounted by the api role at
 * the configured base path. Sessions come from a login with an API token; every POST is
 * CSRF-checked; the live event stream (`events`, the API's own SSE route) is served behind the
 * session, which sets the same principal the API's bearer auth does.
 */
export function createDashboard(deps: DashboardDeps, events: Hono<AuthEnv>): Hono<DashboardEnv> {
  const dash = createDashboardContext(deps)
  const app = new Hono<DashboardEnv>()
  app.onError(dashboardErrorHandler(dash))
  // Mounted at `/`, the dashboard would otherwise see every request no API route matched.
  app.use(async (c, next) => {
    if (!OWN_PATH.test(c.req.path.slice(dash.base.length) || '/')) return c.notFound()
    await next()
  })
  app.use(securityHeaders)
  app.route('/', assetRoutes())
  app.use(sessionMiddleware(dash), checkCsrf(dash))
  app.use('/events', requireViewer(dash, 'read'))
  app.route('/', events)
  const groups = [
    loginRoutes,
    overviewRoutes,
    taskRoutes,
    taskActions,
    workerRoutes,
    queueRoutes,
    scheduleRoutes,
    workflowRoutes,
  ]
  for (const routes of groups) app.route('/', routes(dash))
  return app
}
