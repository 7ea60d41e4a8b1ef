import { CeleriacError } from '../core/errors.ts'

/** Error codes of sockets and files that mean "the store is not answering now", not "bad request". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ConnectionRefused',
  'ConnectionClosed',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
])

/** Names of ioredis errors raised when the server or cluster cannot be reached. */
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'AbortError'])

/**
 * First words of Redis replies and ioredis messages that mean the server is starting, failing
 * over, stalled or gone: a retry later can succeed.
 */
const TRANSIENT_MESSAGES = [
  /^LOADING\b/,
  /^BUSY\b/,
  /^MASTERDOWN\b/,
  /^CLUSTERDOWN\b/,
  /^TRYAGAIN\b/,
  /^Command timed out/,
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /^None of startup nodes is available/,
  /^Failed to refresh slots cache/,
  /^Reached the max retries per request limit/,
  /database is locked/,
]

/**
 * True when an error from any engine means the broker is unreachable, stalled, loading or busy:
 * the operation may succeed if retried, so callers answer "unavailable, retry later" (HTTP 503)
 * instead of treating it as a fault in the request or in Celeriac.
 */
export function isBrokerUnavailable(err: unknown): boolean {
  if (err instanceof CeleriacError) return err.code === 'BROKER' || err.code === 'TIMEOUT'
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true
  if (TRANSIENT_NAMES.has(err.name)) return true
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(err.message))) return true
  return err.cause !== undefined && err.cause !== err && isBrokerUnavailable(err.cause)
}
