/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono'
import { ScheduleService } from '../../beat/schedule-service.ts'
import { CeleriacError, type FieldIssue, ValidationError } from '../../core/errors.ts'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { emptyValues, entryFrom, formValues, valuesOf } from '../data/schedule-form.ts'
import { requireViewer } from '../session/require-viewer.ts'
import { render, viewContext } from '../views/render.tsx'
import { type ScheduleFormValues, ScheduleFormView } from '../views/schedule-form-view.tsx'
import { SchedulesView } from '../views/schedules-view.tsx'

type Ctx = Context<DashboardEnv>

function serviceOf(dash: DashboardContext): ScheduleService {
  const { schedules: store, registry, client, clock, config } = dash.deps
  return new ScheduleService({ store, registry, client, clock, defaultTimezone: config.timezone })
}

function form(
  c: Ctx,
  dash: DashboardContext,
  values: ScheduleFormValues,
  editing: string | null,
  issues: FieldIssue[],
) {
  const title = editing === null ? 'Add schedule' : `Edit ${editing}`
  const tasks = dash.deps.registry.names()
  const view = viewContext(c, dash)
  const props = { values, editing, tasks, issues, view }
  return render(
    c,
    dash,
    { title, nav: 'schedules', status: issues.length ? 400 : 200 },
    <ScheduleFormView {...props} />,
  )
}

/** A service error as form issues; anything else is not the form's business and propagates. */
function issuesOf(err: unknown): FieldIssue[] {
  if (err instanceof ValidationError) return err.issues
  if (err instanceof CeleriacError && err.code === 'CONFLICT') return [{ path: 'name', message: err.message }]
  throw err
}

async function save(c: Ctx, dash: DashboardContext, service: ScheduleService, editing: string | null) {
  const values = formValues(await c.req.parseBody(), dash.deps.config.timezone)
  if (editing !== null) values.name = editing
  const { entry, issues } = entryFrom(values)
  if (issues.length) return form(c, dash, values, editing, issues)
  try {
    if (editing === null) await service.create(entry)
    else await service.update(editing, { ...entry, cron: entry.cron, every: entry.every, at: undefined })
  } catch (err) {
    return form(c, dash, values, editing, issuesOf(err))
  }
  return c.redirect(`${dash.base}/schedules?done=saved`, 303)
}

/** Beat's entries: list, add, edit, enable/disable, run now, delete. */
export function scheduleRoutes(dash: DashboardContext): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const read = requireViewer(dash, 'read')
  const admin = requireViewer(dash, 'admin')
  const done = (what: string) => `${dash.base}/schedules?done=${what}`
  const service = () => serviceOf(dash)
  const name = (c: Ctx) => c.req.param('name') ?? ''

  app.get('/schedules', read, async (c) => {
    const schedules = await serviceOf(dash).list()
    const meta = { title: 'Schedules', nav: 'schedules' as const, liveEveryMs: 15_000 }
    return render(c, dash, meta, <SchedulesView schedules={schedules} view={viewContext(c, dash)} />)
  })
  app.get('/schedules/new', admin, (c) => {
    return form(
      c,
      dash,
      emptyValues(dash.deps.config.timezone, dash.deps.registry.names()[0] ?? ''),
      null,
      [],
    )
  })
  app.post('/schedules', admin, (c) => save(c, dash, service(), null))
  app.get('/schedules/:name/edit', admin, async (c) =>
    form(c, dash, valuesOf(await service().get(name(c))), name(c), []),
  )
  app.post('/schedules/:name', admin, (c) => save(c, dash, service(), name(c)))
  app.post('/schedules/:name/enabled', admin, async (c) => {
    await service().update(name(c), { enabled: (await c.req.parseBody()).enabled === 'true' })
    return c.redirect(done('saved'), 303)
  })
  app.post('/schedules/:name/run', admin, async (c) => {
    await service().runNow(name(c))
    return c.redirect(done('ran'), 303)
  })
  app.post('/schedules/:name/delete', admin, async (c) => {
    await service().remove(name(c))
    return c.redirect(done('deleted'), 303)
  })
  return app
}
