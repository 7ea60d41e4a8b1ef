import { Hono } from 'hono'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { messagePage } from '../views/message-page.tsx'

/** Revoke / terminate / retry from a task's page; each answers with a redirect back to it. */
export function taskActions(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const { broker } = dash.deps
  const admin = requireViewer(dash, 'admin')
  const back = (id: string, done: string) => `${dash.base}/tasks/${encodeURIComponent(id)}?done=${done}`

  app.post('/tasks/:id/revoke', admin, async (c) => {
    const id = c.req.param('id').slice(0, 200)
    const terminate = (await c.req.parseBody()).terminate === '1'
    await broker.revoke(id, { terminate })
    return c.redirect(back(id, terminate ? 'terminated' : 'revoked'), 303)
  })
  app.post('/tasks/:id/retry', admin, async (c) => {
    const id = c.req.param('id').slice(0, 200)
    if (await broker.requeueDead(id)) return c.redirect(back(id, 'retried'), 303)
    return messagePage(c, dash, 409, 'Not retried', 'Only a failed or dead task can be retried.')
  })
  app.post('/dead/:id/requeue', admin, async (c) => {
    const id = c.req.param('id').slice(0, 200)
    if (await broker.requeueDead(id)) return c.redirect(`${dash.base}/queues?done=requeued`, 303)
    return messagePage(c, dash, 409, 'Not requeued', 'That task is no longer in the dead letters.')
  })
  return app
}
