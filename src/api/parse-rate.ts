import type { RateLimit } from '../brokers/broker.ts'

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const

/** '100/s', '6000/m', '5/10s' -> a token bucket; the text was checked by the config schema. */
export function parseRate(text: string): RateLimit {
  const match = /^(\d+)\/(\d*)([smh])$/.exec(text)
  if (!match) throw new Error(`api: invalid rate '${text}'`)
  const [, count, span, unit] = match
  return { count: Number(count), perMs: Number(span || 1) * UNIT_MS[unit as keyof typeof UNIT_MS] }
}
