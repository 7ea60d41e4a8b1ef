import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { RevokeQuery } from '../schemas/tasks.ts'
import { taskIdParam } from '../task-id-param.ts'

async function revoke(c: Context<AuthEnv>, deps: ApiDeps, id: string) {
  const query = parseOrThrow(RevokeQuery, c.req.query(), 'query')
  const terminate = query.terminate === 'true' || query.terminate === '1'
  await deps.broker.revoke(id, { terminate })
  // 202: a waiting task is revoked now; a running one stops when its worker next renews its lease.
  return c.json({ task_id: id, revoked: true, terminate }, 202)
}

/** Revoke (submit scope: a producer may cancel its work) and retry (admin: an operator's call). */
export function controlRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.delete('/tasks/revoke/:id', requireScope('submit'), (c) => revoke(c, deps, taskIdParam(c)))
  app.post('/tasks/:id/revoke', requireScope('submit'), (c) => revoke(c, deps, taskIdParam(c)))

  app.post('/tasks/:id/retry', requireScope('admin'), async (c) => {
    const id = taskIdParam(c)
    if (await deps.broker.requeueDead(id)) {
      const status_url = `/api/v1/tasks/status/${encodeURIComponent(id)}`
      return c.json({ task_id: id, status: 'PENDING', status_url }, 202)
    }
    const task = await deps.broker.getResult(id)
    if (!task)
      throw new ApiError(404, 'not_found', `no task '${id.slice(0, 100)}' (unknown, or its result expired)`)
    throw new ApiError(
      409,
      'not_failed',
      `task is ${task.state}: only a failed or dead task can be retried`,
      {
        state: task.state,
      },
    )
  })
  return app
}
