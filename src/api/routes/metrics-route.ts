import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { ApiDeps } from '../api-deps.ts'

/** GET /metrics in the Prometheus text format; auth (read scope) is applied by createApp unless turned off. */
export function metricsRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.render(deps.broker)
    return c.body(text, 200, { 'Content-Type': deps.metrics.registry.contentType })
  })
  return app
}
