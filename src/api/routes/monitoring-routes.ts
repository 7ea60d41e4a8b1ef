import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { readJsonBody } from '../body/read-json-body.ts'
import { type EnqueuedTask, enqueueItems } from '../enqueue/enqueue-items.ts'
import { optionsFromHeaders } from '../enqueue/options-from-headers.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { executeInput } from '../monitoring/execute-input.ts'
import {
  monitorQueues,
  monitorStatus,
  monitorTaskDetail,
  monitorTaskRow,
  monitorWorkers,
} from '../monitoring/monitor-views.ts'
import { MonitorTaskQuery } from '../schemas/monitoring.ts'
import { taskIdParam } from '../task-id-param.ts'
import { HEALTH_CHECK_TASK } from './convenience-routes.ts'
import { systemStatus } from './system-status.ts'

/** Tasks one GET tasks answers with when the caller names no limit (those dashboards' default). */
const DEFAULT_LIMIT = 50

/**
 * The monitoring API the Django setups' Celery dashboards call (status, workers, queues, tasks,
 * execute, health_check), mounted under the configured prefix. Every answer is built from the
 * same broker reads as /api/v1; a task list examines at most the search scan budget.
 */
export function monitoringRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const read = requireScope('read')
  const submit = requireScope('submit')
  const online = () => deps.broker.listWorkers(deps.settings.workerOfflineMs)

  app.get('/status', read, async (c) => {
    const status = await systemStatus(deps)
    return c.json(monitorStatus(status), status.status === 'down' ? 503 : 200)
  })
  app.get('/workers', read, async (c) => c.json(monitorWorkers(await online(), deps.clock.now())))
  app.get('/queues', read, async (c) => {
    const [queues, workers] = await Promise.all([deps.broker.queueStats(), online()])
    return c.json(monitorQueues(queues, workers, deps.clock.now()))
  })

  app.get('/tasks', read, async (c) => {
    const q = parseOrThrow(MonitorTaskQuery, c.req.query(), 'query')
    const page = await deps.broker.listTasks({
      limit: q.limit ?? DEFAULT_LIMIT,
      scanBudget: deps.settings.searchScanBudget,
    })
    return c.json({ tasks: page.tasks.map(monitorTaskRow), count: page.tasks.length })
  })
  app.get('/tasks/:id', read, async (c) => {
    const id = taskIdParam(c)
    const task = await deps.broker.getResult(id)
    if (!task)
      throw new ApiError(404, 'not_found', `no task '${id.slice(0, 100)}' (unknown, or its result expired)`)
    return c.json(monitorTaskDetail(task))
  })
  app.post('/tasks/:name/execute', submit, async (c) => {
    const name = c.req.param('name')
    const { input, ignored } = executeInput(deps.registry, name, await readJsonBody(c))
    const [task] = (await enqueueItems(
      deps,
      [{ task: name, input, options: optionsFromHeaders(c) }],
      false,
    )) as [EnqueuedTask]
    c.header('Location', task.status_url)
    return c.json(
      { ...task, ...(ignored.length > 0 && { ignored_fields: ignored }) },
      task.created ? 202 : 200,
    )
  })

  app.get('/health_check', read, async (c) => {
    const status = await systemStatus(deps)
    const checks = {
      broker: { ok: status.status !== 'down' },
      workers: { ok: status.worker_count > 0, count: status.worker_count },
      queues: { ok: status.unconsumed_queues.length === 0, unconsumed: status.unconsumed_queues },
    }
    const { status: overall, message, timestamp } = status
    return c.json({ status: overall, message, checks, timestamp }, overall === 'down' ? 503 : 200)
  })
  app.post('/health_check', submit, async (c) => {
    // As POST /api/v1/health_check: the body, if any, is the task's input.
    const item = { task: HEALTH_CHECK_TASK, input: await readJsonBody(c), options: optionsFromHeaders(c) }
    const [task] = (await enqueueItems(deps, [item], false)) as [EnqueuedTask]
    c.header('Location', task.status_url)
    return c.json(task, task.created ? 202 : 200)
  })
  return app
}
