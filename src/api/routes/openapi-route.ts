import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { ApiDeps } from '../api-deps.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { openApiDocument } from '../openapi/openapi-document.ts'

/** GET /openapi.json, generated once on first request (the registry is fixed for the process). */
export function openApiRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  let document: ReturnType<typeof openApiDocument> | null = null
  app.get('/openapi.json', requireScope('read'), (c) => {
    document ??= openApiDocument(deps.registry, deps.config.monitoringPrefix)
    return c.json(document)
  })
  return app
}
