import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { ApiDeps } from '../api-deps.ts'

/** Open endpoints for orchestrators: liveness never touches the broker; readiness proves it writable. */
export function healthRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    try {
      await deps.broker.ping()
      return c.json({ status: 'ready' })
    } catch (err) {
      deps.log.warn('api: readiness check failed', { error: String(err) })
      return c.json({ status: 'unavailable', message: 'the broker is unreachable or read-only' }, 503)
    }
  })
  return app
}
