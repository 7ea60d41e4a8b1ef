import { RetryError, UnrecoverableError } from '../../core/errors.ts'

/** A 5xx (or 429) answer: the server may do better later, so the task retries. */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** No answer: connection refused or reset, DNS failure, timeout. Retried. */
export class HttpNetworkError extends Error {
  override name = 'HttpNetworkError'
}

const MAX_RETRY_AFTER_MS = 3_600_000

/**
 * What the worker should do with a non-2xx answer: 4xx are the caller's mistake and fail at once
 * (except 429, a request to slow down); 5xx retry. A Retry-After in seconds is honoured (capped).
 */
export function statusError(status: number, url: string, snippet: string, retryAfter: string | null): Error {
  const message = `http ${status} from ${url}${snippet ? `: ${snippet.slice(0, 200)}` : ''}`
  if (status >= 400 && status < 500 && status !== 429) return new UnrecoverableError(message)
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : null
  if (seconds !== null) return new RetryError(message, Math.min(seconds * 1000, MAX_RETRY_AFTER_MS))
  return new HttpStatusError(status, message)
}
