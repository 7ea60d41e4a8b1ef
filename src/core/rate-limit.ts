import { z } from 'zod'

/** A token bucket's size: `count` acquisitions per `perMs` milliseconds. */
export interface RateLimit {
  count: number
  perMs: number
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const
const PATTERN = /^(\d+)\/(\d*)([smh])$/

/**
 * Celery's rate-limit text: '100/s', '10/m', '1000/h', or with a span: '5/10s'. Unlike Celery's,
 * ours is global: one token bucket in the broker shared by every worker.
 */
export const RateLimitText = z
  .string()
  .regex(PATTERN, "a rate like '100/s', '10/m', '1000/h' or '5/10s'")
  .refine((text) => Number(PATTERN.exec(text)?.[1]) > 0, 'the count must be at least 1')

export function parseRateLimit(text: string): RateLimit {
  const match = PATTERN.exec(text)
  if (!match) throw new Error(`invalid rate limit '${text}'`)
  const [, count, span, unit] = match
  return { count: Number(count), perMs: Number(span || 1) * UNIT_MS[unit as keyof typeof UNIT_MS] }
}
