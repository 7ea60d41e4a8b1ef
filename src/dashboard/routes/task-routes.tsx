/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono'
import type { TaskQuery } from '../../brokers/broker.ts'
import { TaskState } from '../../core/states.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { messagePage } from '../views/message-page.tsx'
import { render, viewContext } from '../views/render.tsx'
import { TaskDetailView } from '../views/task-detail-view.tsx'
import { RANGES, TaskFilterForm, type TaskFilters, TasksView } from '../views/tasks-view.tsx'

const PAGE_SIZE = 50

function readFilters(c: Context): TaskFilters {
  const pick = (key: string) => c.req.query(key)?.trim().slice(0, 200) || undefined
  return {
    state: pick('state'),
    name: pick('name'),
    queue: pick('queue'),
    q: pick('q'),
    range: pick('range'),
    cursor: pick('cursor'),
  }
}

/** Filters as a broker query; unknown values are ignored rather than refused (it is a page). */
function toQuery(f: TaskFilters, now: number, scanBudget: number): TaskQuery {
  const state = TaskState.safeParse(f.state)
  const range = f.range === undefined ? undefined : RANGES[f.range]
  return {
    limit: PAGE_SIZE,
    scanBudget,
    ...(state.success && { state: state.data }),
    ...(f.name && { name: f.name }),
    ...(f.queue && { queue: f.queue }),
    ...(f.q && { text: f.q }),
    ...(range && { since: now - range[1] }),
    ...(f.cursor && { cursor: f.cursor }),
  }
}

function nextHref(base: string, f: TaskFilters, cursor: string): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...f, cursor })) if (v) params.set(k, v)
  return `${base}/tasks?${params}`
}

/** The history table (live on its first page) and one task's detail page. */
export function taskRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const { broker, registry } = dash.deps
  app.get('/tasks', requireViewer(dash, 'read'), async (c) => {
    const view = viewContext(c, dash)
    const filters = readFilters(c)
    const query = toQuery(filters, view.now, dash.deps.settings.searchScanBudget)
    const page = await broker.listTasks(query).catch(() => null)
    if (!page) return messagePage(c, dash, 400, 'Tasks', 'That page link is no longer valid.')
    const toolbar = <TaskFilterForm filters={filters} base={dash.base} names={registry.names()} />
    const next = page.nextCursor === null ? '' : nextHref(dash.base, filters, page.nextCursor)
    const meta = {
      title: 'Tasks',
      nav: 'tasks' as const,
      toolbar,
      ...(filters.cursor ? {} : { liveTypes: 'task:' }),
    }
    return render(
      c,
      dash,
      meta,
      <TasksView
        tasks={page.tasks}
        next={page.nextCursor}
        nextHref={next}
        truncated={page.truncated}
        view={view}
      />,
    )
  })
  app.get('/tasks/:id', requireViewer(dash, 'read'), async (c) => {
    const id = c.req.param('id').slice(0, 200)
    const [ours, events] = await Promise.all([broker.getResult(id), broker.taskEvents(id)])
    // An id we do not know may be a task a Python Celery worker ran: its celery-task-meta answers.
    const task = ours ?? (dash.deps.celery ? await dash.deps.celery.result(id) : null)
    if (!task) return messagePage(c, dash, 404, 'Task not found', 'Unknown task, or its result expired.')
    const meta = {
      title: `Task ${task.task || `${id} (Python Celery)`}`,
      nav: 'tasks' as const,
      liveTypes: 'task:',
      liveTask: task.id,
    }
    return render(c, dash, meta, <TaskDetailView task={task} events={events} view={viewContext(c, dash)} />)
  })
  return app
}
