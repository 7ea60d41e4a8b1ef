import type { RetryPolicy } from './message.ts'

/**
 * Delay before retry number `retry` (1-based): fixed or exponential from `delay`, capped at
 * `maxDelay`, with full jitter (uniform in [0, computed]) when asked, as AWS's backoff note advises.
 */
export function retryDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = policy.backoff === 'fixed' ? policy.delay : policy.delay * 2 ** Math.max(0, retry - 1)
  const capped = Math.min(base, policy.maxDelay)
  return policy.jitter ? Math.floor(random() * capped) : capped
}
