import { defineTask } from '../../core/task.ts'
import { createOutboundAllowList } from '../../security/outbound-allow-list.ts'
import type { TaskServices } from '../task-services.ts'
import { httpRequestInput } from './http-input.ts'
import { performHttpRequest } from './perform-http-request.ts'

/** Retries span about half an hour: long enough for a deploy or a short outage of the receiver. */
export const HTTP_RETRY = {
  max: 8,
  backoff: 'exponential',
  delay: 5_000,
  maxDelay: 600_000,
  jitter: true,
} as const

/**
 * `http.request`: calls a URL for a producer in any language (its webhook, its own endpoint).
 * 5xx, 429 and network errors retry; other 4xx fail at once; the URL is re-checked at send time.
 */
export function createHttpRequestTask(services: TaskServices) {
  return defineTask({
    name: 'http.request',
    description: 'Makes an HTTP(S) request to a checked public URL; optional HMAC signature; retries 5xx.',
    queue: 'webhooks',
    input: httpRequestInput(createOutboundAllowList(services.config.outboundAllowList)),
    retry: HTTP_RETRY,
    timeLimit: { soft: 310_000, hard: 330_000 },
    run: async (input, ctx) => {
      const outcome = await performHttpRequest(input, services, ctx.signal)
      ctx.log.info('http request done', {
        method: input.method,
        status: outcome.status,
        ms: outcome.durationMs,
      })
      return outcome
    },
  })
}
