import type { ApiScope } from '../config/api-token-spec.ts'

/** Who made a request: a key safe to log and to name a rate bucket (never the token), and its scopes. */
export interface Principal {
  key: string
  scopes: ReadonlySet<ApiScope>
}

/** Hono's typing of an app behind authentication: the principal the auth middleware (API bearer token or dashboard session) sets. */
export interface AuthEnv {
  Variables: { principal: Principal }
}
