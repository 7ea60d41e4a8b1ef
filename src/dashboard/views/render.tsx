/** @jsxImportSource hono/jsx */
import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { Layout, type NavKey } from './layout.tsx'

export const FRAGMENT_HEADER = 'x-celeriac-fragment'

/** The client's live refresh asks for the `#live` section only. */
export function isFragment(c: Context): boolean {
  return c.req.header(FRAGMENT_HEADER) === '1'
}

export interface PageMeta {
  title: string
  nav: NavKey | null
  liveTypes?: string
  liveEveryMs?: number
  liveTask?: string
  toolbar?: Child
  status?: ContentfulStatusCode
}

/** What every view needs from the request: where links point, the CSRF token. */
export interface ViewContext {
  base: string
  csrf: string
  now: number
}

export function viewContext(c: Context<DashboardEnv>, dash: DashboardContext): ViewContext {
  return { base: dash.base, csrf: c.get('csrf'), now: dash.deps.clock.now() }
}

/** Notices after an action (?done=revoked): fixed texts, so a link cannot put words in the page. */
const NOTICES: Record<string, string> = {
  revoked: 'Revoke sent.',
  terminated: 'Revoke sent; the running task will be stopped.',
  retried: 'Task queued again.',
  requeued: 'Dead task queued again.',
  purged: 'Queue purged.',
  shutdown: 'Shutdown sent to the worker.',
  saved: 'Schedule saved.',
  deleted: 'Schedule deleted.',
  ran: 'Schedule run now: task enqueued.',
}

/** A full page, or only its live section when the client's refresh asks for it. */
export function render(c: Context<DashboardEnv>, dash: DashboardContext, meta: PageMeta, content: Child) {
  const status = meta.status ?? 200
  if (isFragment(c)) return c.html(`${content}`, status)
  const page = (
    <Layout
      base={dash.base}
      csrf={c.get('csrf')}
      viewer={c.get('viewer')}
      insecure={dash.deps.settings.insecure}
      title={meta.title}
      nav={meta.nav}
      liveTypes={meta.liveTypes}
      liveEveryMs={meta.liveEveryMs}
      liveTask={meta.liveTask}
      notice={NOTICES[c.req.query('done') ?? '']}
      toolbar={meta.toolbar}
    >
      {content}
    </Layout>
  )
  return c.html(`<!doctype html>${page}`, status)
}
