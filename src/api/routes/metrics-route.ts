import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { ApiDeps } from '../api-deps.ts'

/** The Prometheus text of this api process, wherever it is served. */
export function metricsHandler(deps: ApiDeps) {
  return async (c: Context<AuthEnv>) => {
    const text = await deps.metrics.render(deps.broker)
    return c.body(text, 200, { 'Content-Type': deps.metrics.registry.contentType })
  }
}

/** GET /metrics in the Prometheus text format; auth (read scope) is applied by createApp unless turned off. */
export function metricsRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/metrics', metricsHandler(deps))
  return app
}
