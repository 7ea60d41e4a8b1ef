import { z } from 'zod'
import { DEFAULT_SCAN_BUDGET } from '../../brokers/broker.ts'
import { parseCidr } from '../../security/ip-address.ts'
import { ApiTokenSpec, RATE_TEXT } from '../api-token-spec.ts'
import { field } from '../define-field.ts'

const HOUR_MS = 3_600_000

/** The api role: its port, tokens and limits. */
export const API_FIELDS = {
  port: field({
    schema: z.number().int().min(0).max(65_535),
    default: 8080,
    env: 'CELERIAC_PORT',
    kind: 'int',
    flag: { name: 'port', short: 'p', value: 'PORT' },
    help: 'HTTP port of the API and dashboard; 0: any free port (logged at start)',
    expected: 'a TCP port (1-65535, or 0 for any free port)',
  }),
  apiTokens: field({
    schema: z.array(ApiTokenSpec),
    default: [],
    env: 'CELERIAC_API_TOKENS',
    kind: 'list',
    help: 'API bearer tokens as token:scope+scope (scopes read, submit, admin)',
    defaultText: 'none (the api refuses to start without --insecure)',
    expected:
      'a comma-separated list of token:scope+scope (tokens of 16+ characters; scopes read, submit, admin)',
    secret: true,
  }),
  insecure: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_API_INSECURE',
    kind: 'bool',
    flag: { name: 'insecure' },
    help: 'serve without tokens on 127.0.0.1 (development only; a warning on every start)',
    expected: 'true or false',
  }),
  apiBodyLimit: field({
    schema: z
      .number()
      .int()
      .min(1_024)
      .max(64 * 1024 * 1024),
    default: 1024 * 1024,
    env: 'CELERIAC_API_BODY_LIMIT',
    kind: 'int',
    help: 'largest request body the API reads, in bytes (larger: 413 before parsing)',
    expected: 'a number of bytes from 1024 to 67108864',
  }),
  apiBodyTimeoutMs: field({
    schema: z.number().int().min(100).max(600_000),
    default: 30_000,
    env: 'CELERIAC_API_BODY_TIMEOUT_MS',
    kind: 'int',
    help: "time from a request's start to the last byte of its body, in ms (later: 408 and the connection closed)",
    expected: 'milliseconds, 100 to 600000',
  }),
  apiMaxUnauthenticatedBodies: field({
    schema: z.number().int().min(1).max(100_000),
    default: 32,
    env: 'CELERIAC_API_MAX_UNAUTHENTICATED_BODIES',
    kind: 'int',
    help: 'request bodies one client IP may have arriving at once before it is authenticated (more: 429 before reading)',
    expected: 'a whole number from 1 to 100000',
  }),
  apiCorsOrigins: field({
    schema: z.array(z.string().regex(/^(\*|https?:\/\/[^\s,/]+)$/)),
    default: [],
    env: 'CELERIAC_API_CORS_ORIGINS',
    kind: 'list',
    help: 'origins allowed by CORS; empty: CORS off',
    expected: 'a comma-separated list of origins like https://app.example.com, or *',
  }),
  metricsAuth: field({
    schema: z.boolean(),
    default: true,
    env: 'CELERIAC_METRICS_AUTH',
    kind: 'bool',
    help: 'whether /metrics needs a token with the read scope',
    expected: 'true or false',
  }),
  apiEtaHorizonMs: field({
    schema: z
      .number()
      .int()
      .min(1_000)
      .max(365 * 24 * HOUR_MS),
    default: 365 * 24 * HOUR_MS,
    env: 'CELERIAC_API_ETA_HORIZON_MS',
    kind: 'int',
    help: 'furthest ahead an API caller may schedule a task (eta or countdown), in ms',
    expected: 'milliseconds, 1000 to one year',
  }),
  trustedProxies: field({
    schema: z.array(z.string().refine((entry) => parseCidr(entry) !== null, 'not an IP address or CIDR')),
    default: [],
    env: 'CELERIAC_TRUSTED_PROXIES',
    kind: 'list',
    help: 'reverse proxies (IPs or CIDRs) whose X-Forwarded-For / Fly-Client-IP name the client for the brute-force limit',
    defaultText: 'none: the direct peer is the client',
    expected: 'a comma-separated list of IPs or CIDRs like 10.0.0.0/8,fdaa::/16',
  }),
  apiRateLimit: field({
    schema: z.string().regex(RATE_TEXT).nullable(),
    default: null,
    env: 'CELERIAC_API_RATE_LIMIT',
    kind: 'nullable-string',
    help: "requests per token, like '100/s', shared by every api process on the broker",
    defaultText: 'no limit',
    expected: "a rate like '100/s', '6000/m' or '5/10s' (empty: no limit)",
  }),
  apiSearchScanBudget: field({
    schema: z.number().int().min(1_000).max(1_000_000),
    default: DEFAULT_SCAN_BUDGET,
    env: 'CELERIAC_API_SEARCH_SCAN_BUDGET',
    kind: 'int',
    help: 'stored tasks one GET /api/v1/tasks page examines before it answers truncated with a cursor',
    expected: 'a number of tasks from 1000 to 1000000',
  }),
  sseStreamsPerClient: field({
    schema: z.number().int().min(1).max(10_000),
    default: 10,
    env: 'CELERIAC_SSE_STREAMS_PER_CLIENT',
    kind: 'int',
    help: 'event streams one token (or one client address without tokens) may hold open; more: 429',
    expected: 'a number of streams from 1 to 10000',
  }),
  sseReplayMax: field({
    schema: z.number().int().min(100).max(1_000_000),
    default: 10_000,
    env: 'CELERIAC_SSE_REPLAY_MAX',
    kind: 'int',
    help: 'events a Last-Event-ID resume replays at most before skipping to the present',
    expected: 'a number of events from 100 to 1000000',
  }),
}
