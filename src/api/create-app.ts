import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import type { AuthEnv } from '../auth/principal.ts'
import type { ApiDeps } from './api-deps.ts'
import { authenticate } from './middleware/authenticate.ts'
import { createErrorHandler } from './middleware/error-handler.ts'
import { guardRequestBody } from './middleware/guard-request-body.ts'
import { rateLimit } from './middleware/rate-limit.ts'
import { requireScope } from './middleware/require-scope.ts'
import { celeryRoutes } from './routes/celery-routes.ts'
import { controlRoutes } from './routes/control-routes.ts'
import { eventsRoute } from './routes/events-route.ts'
import { filesRoute } from './routes/files-route.ts'
import { healthRoutes } from './routes/health-routes.ts'
import { metricsHandler, metricsRoute } from './routes/metrics-route.ts'
import { monitoringRoutes } from './routes/monitoring-routes.ts'
import { openApiRoute } from './routes/openapi-route.ts'
import { scheduleRoutes } from './routes/schedule-routes.ts'
import { submitRoutes } from './routes/submit-routes.ts'
import { systemRoutes } from './routes/system-routes.ts'
import { taskRoutes } from './routes/task-routes.ts'
import { workflowRoutes } from './routes/workflow-routes.ts'

/** Authenticated, rate limited, bodies capped before anything parses them: /api/v1 and the monitoring API. */
function guardedApi(deps: ApiDeps): Hono<AuthEnv> {
  const api = new Hono<AuthEnv>()
  api.use(authenticate(deps.settings, deps.authFailures, deps.clock, deps.log))
  api.use(rateLimit(deps.broker, deps.settings.rateLimit))
  api.use(
    bodyLimit({
      maxSize: deps.settings.bodyLimit,
      onError: (c) =>
        c.json(
          { error: 'payload_too_large', message: `request body over ${deps.settings.bodyLimit} bytes` },
          413,
        ),
    }),
  )
  return api
}

function apiV1(deps: ApiDeps): Hono<AuthEnv> {
  const api = guardedApi(deps)
  const routeGroups = [
    openApiRoute,
    submitRoutes,
    celeryRoutes,
    controlRoutes,
    systemRoutes,
    taskRoutes,
    eventsRoute,
    scheduleRoutes,
    filesRoute,
    workflowRoutes,
  ]
  for (const routes of routeGroups) {
    api.route('/', routes(deps))
  }
  return api
}

/** The API's Hono app: every route, auth, limits, metrics and JSON errors (never a stack). */
export function createApp(deps: ApiDeps): Hono<AuthEnv> {
  // Django-style trailing slashes (`/api/v1/tasks/status/{id}/`) reach the same routes.
  const app = new Hono<AuthEnv>({ strict: false })
  // First, so the dashboard mounted on this app is covered too.
  app.use(guardRequestBody(deps.settings))
  if (deps.settings.corsOrigins.length > 0) {
    const origins = [...deps.settings.corsOrigins]
    app.use(
      cors({ origin: origins.includes('*') ? '*' : origins, exposeHeaders: ['Retry-After', 'Location'] }),
    )
  }
  app.onError(createErrorHandler(deps.log))
  app.notFound((c) =>
    c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path.slice(0, 200)}` }, 404),
  )
  app.route('/', healthRoutes(deps))
  if (deps.settings.metricsAuth)
    app.use(
      '/metrics',
      authenticate(deps.settings, deps.authFailures, deps.clock, deps.log),
      requireScope('read'),
    )
  app.route('/', metricsRoute(deps))
  app.route('/api/v1', apiV1(deps))
  const prefix = deps.config.monitoringPrefix
  if (prefix !== null) mountMonitoring(app, deps, prefix)
  return app
}

/**
 * The Celery dashboards' monitoring API under its prefix. Its Prometheus path is registered ahead
 * of the guarded routes so that, like /metrics, it is open when metrics auth is turned off.
 */
function mountMonitoring(app: Hono<AuthEnv>, deps: ApiDeps, prefix: string): void {
  const metricsPath = `${prefix}/metrics/prometheus`
  if (deps.settings.metricsAuth)
    app.use(
      metricsPath,
      authenticate(deps.settings, deps.authFailures, deps.clock, deps.log),
      requireScope('read'),
    )
  app.get(metricsPath, metricsHandler(deps))
  const monitoring = guardedApi(deps)
  monitoring.route('/', monitoringRoutes(deps))
  app.route(prefix, monitoring)
}
