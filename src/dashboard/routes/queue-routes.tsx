/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { messagePage } from '../views/message-page.tsx'
import { PurgeConfirmView, QueuesView } from '../views/queues-view.tsx'
import { render, viewContext } from '../views/render.tsx'

const DEAD_SHOWN = 100

/** Queue counts, dead letters with requeue, and purge behind a confirmation page. */
export function queueRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const { broker } = dash.deps
  app.get('/queues', requireViewer(dash, 'read'), async (c) => {
    const [queues, dead] = await Promise.all([broker.queueStats(), broker.listDead(undefined, DEAD_SHOWN)])
    const meta = { title: 'Queues', nav: 'queues' as const, liveTypes: 'task:', liveEveryMs: 10_000 }
    return render(c, dash, meta, <QueuesView queues={queues} dead={dead} view={viewContext(c, dash)} />)
  })
  app.get('/queues/:queue/purge', requireViewer(dash, 'admin'), async (c) => {
    const name = c.req.param('queue')
    const q = (await broker.queueStats()).find((s) => s.queue === name)
    if (!q) return messagePage(c, dash, 404, 'No such queue', 'That queue has no tasks.')
    const meta = { title: `Purge ${q.queue}?`, nav: 'queues' as const }
    return render(c, dash, meta, <PurgeConfirmView q={q} view={viewContext(c, dash)} />)
  })
  app.post('/queues/:queue/purge', requireViewer(dash, 'admin'), async (c) => {
    const name = c.req.param('queue')
    // The confirmation page names the queue again: a stray POST without it deletes nothing.
    if ((await c.req.parseBody()).confirm !== name) {
      return messagePage(c, dash, 400, 'Not purged', 'Purging needs the confirmation step.')
    }
    await broker.purge(name)
    return c.redirect(`${dash.base}/queues?done=purged`, 303)
  })
  return app
}
