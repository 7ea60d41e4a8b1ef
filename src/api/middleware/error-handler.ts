import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isBrokerUnavailable } from '../../brokers/broker-unavailable.ts'
import { CeleriacError, UnknownTaskError, ValidationError } from '../../core/errors.ts'
import type { Logger } from '../../core/logger.ts'
import { ApiError } from '../api-error.ts'
import { unknownTaskError } from '../unknown-task-error.ts'

/** Our error codes that mean "the caller asked for something wrong", with their status. */
const CLIENT_CODES: Partial<Record<string, [ContentfulStatusCode, string]>> = {
  VALIDATION: [400, 'validation'],
  NOT_FOUND: [404, 'not_found'],
  CONFLICT: [409, 'conflict'],
  CONFIG: [400, 'validation'],
}

/** Seconds a client should wait before retrying while the broker does not answer. */
const RETRY_AFTER_SECONDS = '2'

function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err
  if (err instanceof ValidationError) {
    return new ApiError(400, 'validation', err.message, { fields: err.issues })
  }
  if (err instanceof UnknownTaskError) return unknownTaskError(err.taskName, err.registered)
  if (err instanceof CeleriacError) {
    const mapped = CLIENT_CODES[err.code]
    if (mapped) return new ApiError(mapped[0], mapped[1], err.message)
  }
  // Down, stalled, loading or busy, on any engine: the request may succeed later, so 503 rather
  // than a 500. A write may still have been stored; a retry with the same task id or
  // Idempotency-Key then answers with the stored task instead of enqueueing it twice.
  if (isBrokerUnavailable(err)) {
    const message = 'the broker did not answer; retry later (with the same Idempotency-Key or task id)'
    return new ApiError(503, 'unavailable', message, {}, { 'Retry-After': RETRY_AFTER_SECONDS })
  }
  return null
}

/**
 * Renders every thrown error as JSON. Bad input maps to a 4xx with a machine code; a genuine
 * fault is logged with an error id and answered with that id only: no message, no stack.
 */
export function createErrorHandler(log: Logger) {
  return (err: Error, c: Context): Response => {
    const known = toApiError(err)
    if (known?.status === 503) log.warn('api: broker unavailable', { path: c.req.path, error: String(err) })
    if (known) return c.json(known.body(), known.status, known.headers)
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status as ContentfulStatusCode
      const own = (err as { code?: unknown }).code
      const code = typeof own === 'string' ? own : status === 413 ? 'payload_too_large' : 'bad_request'
      // A body that timed out is still arriving: closing is the only way to stop reading it.
      const headers: Record<string, string> = status === 408 ? { connection: 'close' } : {}
      return c.json({ error: code, message: err.message || 'bad request' }, status, headers)
    }
    const errorId = crypto.randomUUID()
    log.error('api: unexpected error', {
      errorId,
      method: c.req.method,
      path: c.req.path,
      error: err.stack ?? String(err),
    })
    return c.json({ error: 'internal', message: 'internal error', error_id: errorId }, 500)
  }
}
