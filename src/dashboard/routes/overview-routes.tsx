/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { OverviewView } from '../views/overview-view.tsx'
import { render, viewContext } from '../views/render.tsx'

/** `/`: the overview, refreshed on every finished or new task and every 10 s (the window moves). */
export function overviewRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const { broker, settings } = dash.deps
  app.get('/', requireViewer(dash, 'read'), async (c) => {
    const [workers, queues, throughput] = await Promise.all([
      broker.listWorkers(settings.workerOfflineMs),
      broker.queueStats(),
      dash.throughput.get(),
    ])
    const meta = {
      title: 'Overview',
      nav: 'overview' as const,
      liveTypes: 'task:,worker:',
      liveEveryMs: 10_000,
    }
    return render(
      c,
      dash,
      meta,
      <OverviewView data={{ workers, queues, throughput }} view={viewContext(c, dash)} />,
    )
  })
  return app
}
