export const DURATION = /^(\d+)(ms|s|m|h|d)$/
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** '30s', '5m', '1h', '1d' (or a number of ms) → ms. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return text
  const match = DURATION.exec(text)
  if (!match) throw new Error(`invalid duration '${text}'`)
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}
