import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { readJsonBody } from '../body/read-json-body.ts'
import { type EnqueuedTask, enqueueItems } from '../enqueue/enqueue-items.ts'
import { optionsFromHeaders } from '../enqueue/options-from-headers.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { EnqueueBatch, EnqueueItem } from '../schemas/enqueue.ts'
import { CONVENIENCE_ROUTES, fromAliases, HEALTH_CHECK_TASK } from './convenience-routes.ts'

function answer(c: Context, task: EnqueuedTask) {
  c.header('Location', task.status_url)
  return c.json(task, task.created ? 202 : 200)
}

/** The body is the task's input; options come from headers (Celeriac-Countdown, Idempotency-Key, ...). */
async function enqueueByName(c: Context, deps: ApiDeps, name: string, rename = (body: unknown) => body) {
  const input = rename(await readJsonBody(c))
  const [task] = await enqueueItems(deps, [{ task: name, input, options: optionsFromHeaders(c) }], false)
  return answer(c, task as EnqueuedTask)
}

/** POST /tasks and /tasks/{name}, the convenience routes and /health_check: everything that enqueues. */
export function submitRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  // Per route, not app.use(): a sub-app's use() would also guard every other route mounted beside it.
  const submit = requireScope('submit')

  app.post('/tasks', submit, async (c) => {
    const raw = await readJsonBody(c)
    // Chosen by shape, not by a zod union: a union's error would not name the wrong field.
    if (typeof raw === 'object' && raw !== null && 'tasks' in raw) {
      const batch = parseOrThrow(EnqueueBatch, raw, 'request body')
      const items = batch.tasks.map((t) => ({ task: t.task, input: t.input, options: t.options }))
      return c.json({ tasks: await enqueueItems(deps, items, true) }, 202)
    }
    const body = parseOrThrow(EnqueueItem, raw, 'request body')
    const options = { ...optionsFromHeaders(c), ...body.options }
    const [task] = await enqueueItems(deps, [{ task: body.task, input: body.input, options }], false)
    return answer(c, task as EnqueuedTask)
  })
  for (const [path, route] of Object.entries(CONVENIENCE_ROUTES)) {
    const rename = (body: unknown) => fromAliases(route, body, deps.config.exportSources)
    app.post(path, submit, (c) => enqueueByName(c, deps, route.task, rename))
  }
  app.post('/tasks/:name', submit, (c) => enqueueByName(c, deps, c.req.param('name')))
  app.post('/health_check', submit, (c) => enqueueByName(c, deps, HEALTH_CHECK_TASK))
  return app
}
