import type { Principal } from '../auth/principal.ts'
import { createTokenChecker } from '../auth/token-checker.ts'
import type { DashboardDeps } from './dashboard-deps.ts'
import { ThroughputCache } from './data/throughput-cache.ts'
import { SessionCodec, sessionKey } from './session/session-codec.ts'
import { createSessionRevocations, type SessionRevocations } from './session/session-revocations.ts'

/** Everything the dashboard's routes share, built once per app. */
export interface DashboardContext {
  deps: DashboardDeps
  /** '' or '/prefix': every link, form action and cookie path starts with it. */
  base: string
  codec: SessionCodec
  /** Sessions ended by logout, shared through the broker by every api process. */
  revocations: SessionRevocations
  /** Presented token -> principal (constant time), as the API's bearer auth checks it. */
  checkToken: (token: string) => Principal | null
  /** Principal key (kept in the cookie) -> principal, so a removed token ends its sessions. */
  principals: ReadonlyMap<string, Principal>
  throughput: ThroughputCache
  sessionTtlMs: number
}

const SESSION_TTL_MS = 12 * 3_600_000

export function createDashboardContext(deps: DashboardDeps): DashboardContext {
  const { tokens } = deps.settings
  const checkToken = createTokenChecker(tokens)
  const principals = new Map<string, Principal>()
  for (const t of tokens) {
    const principal = checkToken(t.token)
    if (principal) principals.set(principal.key, principal)
  }
  return {
    deps,
    base: deps.config.basePath,
    codec: new SessionCodec(sessionKey(tokens)),
    revocations: createSessionRevocations(deps.schedules, deps.clock),
    checkToken,
    principals,
    throughput: new ThroughputCache(deps.broker, deps.clock),
    sessionTtlMs: SESSION_TTL_MS,
  }
}
