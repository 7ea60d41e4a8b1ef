/** @jsxImportSource hono/jsx */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { DashboardContext } from '../dashboard-context.ts'
import type { DashboardEnv } from '../dashboard-env.ts'
import { homePath } from '../home-path.ts'
import { render } from './render.tsx'

/** A short page for refusals and errors, with the way back. */
export function messagePage(
  c: Context<DashboardEnv>,
  dash: DashboardContext,
  status: ContentfulStatusCode,
  title: string,
  message: string,
) {
  const back = c.req.header('referer')
  const sameSite = back?.startsWith(new URL(c.req.url).origin) ? back : homePath(dash.base)
  return render(
    c,
    dash,
    { title, nav: null, status },
    <div class="panel">
      <p class="error-text">{message}</p>
      <p>
        <a href={sameSite}>Back</a>
      </p>
    </div>,
  )
}
