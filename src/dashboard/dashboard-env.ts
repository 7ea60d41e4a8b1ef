import type { Principal } from '../auth/principal.ts'
import type { Session } from './session/session-codec.ts'

/**
 * Hono's typing of the dashboard: the session (always set, logged in or not), the principal it
 * resolves to (null: not logged in) and its CSRF token. `principal` is set once a page's scope
 * check passes, so API route groups mounted here (the event stream) see the usual variable.
 */
export interface DashboardEnv {
  Variables: {
    session: Session
    viewer: Principal | null
    csrf: string
    principal: Principal
  }
}
