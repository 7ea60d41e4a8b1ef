/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { render, viewContext } from '../views/render.tsx'
import { WorkersView } from '../views/workers-view.tsx'

/** Workers with their heartbeats (refreshed every few seconds) and a shutdown button each. */
export function workerRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const { broker, settings, config } = dash.deps
  app.get('/workers', requireViewer(dash, 'read'), async (c) => {
    // Forgetting long-silent workers here keeps the list short without a background job.
    await broker.pruneWorkers(config.dashboardWorkerTtlMs)
    const workers = await broker.listWorkers(settings.workerOfflineMs)
    const meta = { title: 'Workers', nav: 'workers' as const, liveTypes: 'worker:', liveEveryMs: 3_000 }
    const view = viewContext(c, dash)
    return render(
      c,
      dash,
      meta,
      <WorkersView workers={workers} ttlMs={config.dashboardWorkerTtlMs} view={view} />,
    )
  })
  app.post('/workers/:name/shutdown', requireViewer(dash, 'admin'), async (c) => {
    await broker.sendControl('shutdown', c.req.param('name').slice(0, 200))
    return c.redirect(`${dash.base}/workers?done=shutdown`, 303)
  })
  return app
}
