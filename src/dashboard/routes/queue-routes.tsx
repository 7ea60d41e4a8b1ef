/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { unconsumedQueues } from '../../core/unconsumed-queues.ts'
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
  const { broker, settings } = dash.deps
  app.get('/queues', requireViewer(dash, 'read'), async (c) => {
    const [queues, dead, workers] = await Promise.all([
      broker.queueStats(),
      broker.listDead(undefined, DEAD_SHOWN),
      broker.listWorkers(settings.workerOfflineMs),
    ])
    // With no worker at all every queue waits: the overview says so; here only a gap in coverage.
    const unconsumed = workers.some((w) => w.online) ? unconsumedQueues(queues, workers) : []
    const meta = { title: 'Queues', nav: 'queues' as const, liveTypes: 'task:', liveEveryMs: 10_000 }
    const view = viewContext(c, dash)
    return render(
      c,
      dash,
      meta,
      <QueuesView queues={queues} unconsumed={unconsumed} dead={dead} view={view} />,
    )
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
