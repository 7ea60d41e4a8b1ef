import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { WorkflowRunner } from '../../client/workflows/workflow-runner.ts'
import type { ApiDeps } from '../api-deps.ts'
import { readJsonBody } from '../body/read-json-body.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { taskIdParam } from '../task-id-param.ts'

const statusUrl = (id: string) => `/api/v1/workflows/${encodeURIComponent(id)}`

/**
 * Workflows (chain, group, chord) as JSON trees: start one (submit), read it with every member's
 * state (read), revoke every member (submit), requeue its failed members so a chain resumes there
 * (admin, as task retry).
 */
export function workflowRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const runner = new WorkflowRunner(deps.client, deps.broker)
  const idOf = (c: Context<AuthEnv>) => taskIdParam(c)
  app.post('/workflows', requireScope('submit'), async (c) => {
    const handle = await runner.start(await readJsonBody(c))
    c.header('Location', statusUrl(handle.id))
    return c.json({ workflow_id: handle.id, status_url: statusUrl(handle.id) }, 202)
  })
  app.get('/workflows/:id', requireScope('read'), async (c) => c.json(await runner.handle(idOf(c)).view()))
  app.post('/workflows/:id/revoke', requireScope('submit'), async (c) => {
    const members = await runner.handle(idOf(c)).revoke({ terminate: c.req.query('terminate') === 'true' })
    return c.json({ workflow_id: idOf(c), revoked: members }, 202)
  })
  app.post('/workflows/:id/retry', requireScope('admin'), async (c) => {
    const requeued = await runner.handle(idOf(c)).retry((id) => deps.broker.requeueDead(id))
    return c.json({ workflow_id: idOf(c), requeued, status_url: statusUrl(idOf(c)) }, 202)
  })
  return app
}
