import type { MiddlewareHandler } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { ApiScope } from '../../config/api-token-spec.ts'
import { ApiError } from '../api-error.ts'

/** 403 unless the principal holds `scope`; `admin` holds every scope. */
export function requireScope(scope: ApiScope): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const { scopes } = c.get('principal')
    if (!scopes.has(scope) && !scopes.has('admin')) {
      throw new ApiError(403, 'forbidden', `this token lacks the '${scope}' scope`, { needs: scope })
    }
    return next()
  }
}
