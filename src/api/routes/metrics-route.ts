import { Hono } from 'hono'
import type { ApiDeps } from '../api-deps.ts'
import type { ApiEnv } from '../api-env.ts'

/** GET /metrics in the Prometheus text format; auth (read scope) is applied by createApp unless turned off. */
export function metricsRoute(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.render(deps.broker)
    return c.body(text, 200, { 'Content-Type': deps.metrics.registry.contentType })
  })
  return app
}
