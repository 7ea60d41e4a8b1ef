/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null
}

export interface Percentiles {
  p50: number | null
  p95: number | null
  p99: number | null
  max: number | null
}

/** Sorts in place and reads p50/p95/p99/max. */
export function percentiles(values: number[]): Percentiles {
  values.sort((a, b) => a - b)
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.at(-1) ?? null,
  }
}
