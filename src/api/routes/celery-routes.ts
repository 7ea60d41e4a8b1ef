import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { CeleryClient } from '../../client/celery-client.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { readJsonBody } from '../body/read-json-body.ts'
import { requireScope } from '../middleware/require-scope.ts'

function celeryOf(deps: ApiDeps): CeleryClient {
  if (deps.celery === null)
    throw new ApiError(
      409,
      'celery_unavailable',
      'sending to Python Celery needs the broker URL to be the Redis their app uses (redis:// or rediss://)',
    )
  return deps.celery
}

/**
 * POST /celery/tasks/{name}: a task a Python Celery worker runs. The body is the call
 * (`{args, kwargs, queue, countdown, eta, expires, priority}`); its result is read at the same
 * /tasks/status/{id} as ours, which falls back to celery-task-meta for ids we do not know.
 */
export function celeryRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.post('/celery/tasks/:name', requireScope('submit'), async (c) => {
    const celery = celeryOf(deps)
    const body = (await readJsonBody(c)) ?? {}
    const handle = await celery.send(c.req.param('name'), body as object)
    const statusUrl = `/api/v1/tasks/status/${encodeURIComponent(handle.id)}`
    c.header('Location', statusUrl)
    return c.json({ task_id: handle.id, status: 'PENDING', status_url: statusUrl, created: true }, 202)
  })
  return app
}
