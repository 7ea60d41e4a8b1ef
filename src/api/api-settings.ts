import { type ApiToken, parseApiToken } from '../config/api-token-spec.ts'
import type { Config } from '../config/config-schema.ts'
import { parseRateLimit, type RateLimit } from '../core/rate-limit.ts'
import { type Cidr, parseCidr } from '../security/ip-address.ts'

/** What the api role reads from the config, in the shape its middleware uses. */
export interface ApiSettings {
  tokens: readonly ApiToken[]
  /** No tokens: every request is allowed (development only). */
  insecure: boolean
  bodyLimit: number
  /** From a request's start to its body's last byte; later: 408. */
  bodyTimeoutMs: number
  /** Bodies one client IP may have arriving at once while not (yet) authenticated. */
  maxUnauthenticatedBodies: number
  corsOrigins: readonly string[]
  metricsAuth: boolean
  etaHorizonMs: number
  /** Per token, shared across api processes through the broker; null: unlimited. */
  rateLimit: RateLimit | null
  /** Failed authentications one client IP may make per window before it gets 429s. */
  bruteForce: { maxFailures: number; windowMs: number }
  /** Peers whose forwarded headers name the client that failures are counted against. */
  trustedProxies: readonly Cidr[]
  /** A worker silent this long is offline (three heartbeats, as `celeriac status` counts). */
  workerOfflineMs: number
  /** SSE: how often a stream polls for new events, and sends a keep-alive comment. */
  ssePollMs: number
  sseHeartbeatMs: number
  /** GET /tasks: stored tasks one page may examine before it answers truncated, with a cursor. */
  searchScanBudget: number
  /** GET /events: streams one principal (token, or client IP without tokens) may hold open at once. */
  sseStreamsPerClient: number
  /** GET /events: events a Last-Event-ID resume replays at most; past that the stream skips to now. */
  sseReplayMax: number
}

export function apiSettings(config: Config, overrides: Partial<ApiSettings> = {}): ApiSettings {
  return {
    tokens: config.apiTokens.map(parseApiToken),
    // Configured tokens always win: --insecure left in a start script must not switch auth off.
    insecure: config.insecure && config.apiTokens.length === 0,
    bodyLimit: config.apiBodyLimit,
    bodyTimeoutMs: config.apiBodyTimeoutMs,
    maxUnauthenticatedBodies: config.apiMaxUnauthenticatedBodies,
    corsOrigins: config.apiCorsOrigins,
    metricsAuth: config.metricsAuth,
    etaHorizonMs: config.apiEtaHorizonMs,
    rateLimit: config.apiRateLimit === null ? null : parseRateLimit(config.apiRateLimit),
    bruteForce: { maxFailures: 20, windowMs: 60_000 },
    trustedProxies: config.trustedProxies.map((entry) => parseCidr(entry) as Cidr),
    workerOfflineMs: config.heartbeatMs * 3,
    ssePollMs: 250,
    sseHeartbeatMs: 15_000,
    searchScanBudget: config.apiSearchScanBudget,
    sseStreamsPerClient: config.sseStreamsPerClient,
    sseReplayMax: config.sseReplayMax,
    ...overrides,
  }
}
