import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { CeleriacError } from '../core/errors.ts'
import type { DashboardContext } from './dashboard-context.ts'
import type { DashboardEnv } from './dashboard-env.ts'
import { messagePage } from './views/message-page.tsx'

const CLIENT: Partial<Record<string, [ContentfulStatusCode, string]>> = {
  VALIDATION: [400, 'Not accepted'],
  NOT_FOUND: [404, 'Not found'],
  CONFLICT: [409, 'Conflict'],
}

/**
 * Errors as pages. A caller's mistake shows its message; a fault is logged with an id and the
 * page shows only the id (as the API's JSON errors do: never a stack).
 */
export function dashboardErrorHandler(dash: DashboardContext) {
  return (err: Error, c: Context<DashboardEnv>) => {
    const known = err instanceof CeleriacError ? CLIENT[err.code] : undefined
    if (known) return messagePage(c, dash, known[0], known[1], err.message)
    // The request itself was at fault (a body too slow or broken): its status, never a 500.
    if (err instanceof HTTPException && err.status < 500) {
      const headers: Record<string, string> = err.status === 408 ? { connection: 'close' } : {}
      return c.text(err.message || 'bad request', err.status as ContentfulStatusCode, headers)
    }
    const errorId = crypto.randomUUID()
    dash.deps.log.error('dashboard: unexpected error', {
      errorId,
      path: c.req.path,
      error: err.stack ?? String(err),
    })
    return messagePage(
      c,
      dash,
      500,
      'Something went wrong',
      `Internal error (id ${errorId}); see the server log.`,
    )
  }
}
