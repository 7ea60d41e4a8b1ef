import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { TaskListQuery } from '../schemas/tasks.ts'
import { taskIdParam } from '../task-id-param.ts'
import { eventView, statusView, taskView } from '../task-view.ts'

/**
 * GET /tasks/status/{id}, /tasks/{id} and /tasks: reading state and history. A search examines at
 * most `searchScanBudget` stored tasks per request, so no read can hold up the process for long.
 */
export function taskRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const read = requireScope('read')

  app.get('/tasks/status/:id', read, async (c) => {
    const id = taskIdParam(c)
    // An id we do not know may be a Python Celery task's (sent through /celery/tasks/{name} or by Python).
    const ours = await deps.broker.getResult(id)
    return c.json(statusView(id, ours ?? (deps.celery ? await deps.celery.result(id) : null)))
  })

  app.get('/tasks/:id', read, async (c) => {
    const id = taskIdParam(c)
    const [ours, history] = await Promise.all([deps.broker.getResult(id), deps.broker.taskEvents(id)])
    // The task lists may show a Python worker's task: its result and events answer for it here too.
    const task = ours ?? (deps.celery ? await deps.celery.result(id) : null)
    if (!task)
      throw new ApiError(404, 'not_found', `no task '${id.slice(0, 100)}' (unknown, or its result expired)`)
    return c.json({ ...taskView(task), history: history.map(eventView) })
  })

  app.get('/tasks', read, async (c) => {
    const q = parseOrThrow(TaskListQuery, c.req.query(), 'query')
    const page = await deps.broker.listTasks({
      ...(q.state && { state: q.state }),
      ...(q.name !== undefined && { name: q.name }),
      ...(q.queue !== undefined && { queue: q.queue }),
      ...(q.since !== undefined && { since: q.since }),
      ...(q.until !== undefined && { until: q.until }),
      ...(q.q !== undefined && { text: q.q }),
      ...(q.limit !== undefined && { limit: q.limit }),
      ...(q.cursor !== undefined && { cursor: q.cursor }),
      scanBudget: deps.settings.searchScanBudget,
    })
    return c.json({
      tasks: page.tasks.map(taskView),
      next_cursor: page.nextCursor,
      truncated: page.truncated,
    })
  })
  return app
}
