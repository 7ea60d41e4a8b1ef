import { describe, expect, test } from 'bun:test'
import { RetryPolicy } from '../../src/core/message.ts'
import { retryDelay } from '../../src/core/retry-policy.ts'

describe('retryDelay', () => {
  const exp = RetryPolicy.parse({
    max: 5,
    backoff: 'exponential',
    delay: 1_000,
    maxDelay: 5_000,
    jitter: false,
  })

  test('doubles the delay on each retry and caps it at maxDelay', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(exp, n))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000])
  })

  test('keeps a fixed delay for fixed backoff', () => {
    const fixed = { ...exp, backoff: 'fixed' as const }
    expect([1, 2, 3].map((n) => retryDelay(fixed, n))).toEqual([1_000, 1_000, 1_000])
  })

  test('applies full jitter: a uniform share of the computed delay', () => {
    const jittered = { ...exp, jitter: true }
    expect(retryDelay(jittered, 3, () => 0.5)).toBe(2_000)
    expect(retryDelay(jittered, 3, () => 0)).toBe(0)
  })
})
