import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { ScheduleService, type ScheduleView } from '../../beat/schedule-service.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { readJsonBody } from '../body/read-json-body.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { ScheduleNameParam, SchedulePatch } from '../schemas/schedules.ts'

function service(deps: ApiDeps): ScheduleService {
  const { schedules: store, registry, client, clock } = deps
  return new ScheduleService({ store, registry, client, clock, defaultTimezone: deps.config.timezone })
}

function show(view: ScheduleView) {
  return { ...view, nextFireTimes: view.nextFireTimes.map((t) => new Date(t).toISOString()) }
}

function nameParam(c: Context<AuthEnv>): string {
  return parseOrThrow(ScheduleNameParam, { name: c.req.param('name') }, 'path').name
}

/** Beat's entries, edited live: changes take effect at the entry's next fire. */
export function scheduleRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/schedules', requireScope('read'), async (c) => {
    return c.json({ schedules: (await service(deps).list()).map(show) })
  })
  app.post('/schedules', requireScope('admin'), async (c) => {
    return c.json(show(await service(deps).create(await readJsonBody(c))), 201)
  })
  app.get('/schedules/:name', requireScope('read'), async (c) => {
    return c.json(show(await service(deps).get(nameParam(c))))
  })
  app.patch('/schedules/:name', requireScope('admin'), async (c) => {
    const patch = parseOrThrow(SchedulePatch, await readJsonBody(c), 'body')
    return c.json(show(await service(deps).update(nameParam(c), patch)))
  })
  app.delete('/schedules/:name', requireScope('admin'), async (c) => {
    await service(deps).remove(nameParam(c))
    return c.body(null, 204)
  })
  app.post('/schedules/:name/run', requireScope('admin'), async (c) => {
    const { id } = await service(deps).runNow(nameParam(c))
    return c.json({ task_id: id, status_url: `/api/v1/tasks/status/${encodeURIComponent(id)}` }, 202)
  })
  return app
}
