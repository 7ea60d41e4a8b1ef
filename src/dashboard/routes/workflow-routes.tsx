/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { WorkflowRunner } from '../../client/workflows/workflow-runner.ts'
import { CeleriacError } from '../../core/errors.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { messagePage } from '../views/message-page.tsx'
import { render, viewContext } from '../views/render.tsx'
import { WorkflowPage } from '../views/workflow-view.tsx'

/** One workflow's page: the tree with every member's state, live as its tasks' events arrive. */
export function workflowRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const runner = new WorkflowRunner(dash.deps.client, dash.deps.broker)
  app.get('/workflows/:id', requireViewer(dash, 'read'), async (c) => {
    const id = c.req.param('id').slice(0, 100)
    try {
      const workflow = await runner.handle(id).view()
      const meta = { title: `Workflow ${id}`, nav: 'tasks' as const, liveTypes: 'task:' }
      return render(c, dash, meta, <WorkflowPage workflow={workflow} view={viewContext(c, dash)} />)
    } catch (err) {
      if (err instanceof CeleriacError && err.code === 'NOT_FOUND')
        return messagePage(c, dash, 404, 'Workflow not found', 'Unknown workflow, or it has expired.')
      throw err
    }
  })
  return app
}
