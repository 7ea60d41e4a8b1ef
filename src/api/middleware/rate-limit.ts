import type { MiddlewareHandler } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { Broker } from '../../brokers/broker.ts'
import type { RateLimit } from '../../core/rate-limit.ts'
import { ApiError } from '../api-error.ts'

/**
 * Per-token request limit. The bucket lives in the broker (acquireRate), so several api processes
 * on one Redis share it: a token cannot multiply its allowance by spreading requests.
 */
export function rateLimit(broker: Broker, limit: RateLimit | null): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const { key } = c.get('principal')
    if (limit === null || key === 'insecure') return next()
    const waitMs = await broker.acquireRate(`api:${key}`, limit)
    if (waitMs > 0) {
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)))
      throw new ApiError(
        429,
        'rate_limited',
        'too many requests for this token',
        { retry_after_ms: waitMs },
        {
          'Retry-After': retryAfter,
        },
      )
    }
    return next()
  }
}
