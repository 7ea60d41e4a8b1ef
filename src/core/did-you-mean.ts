/** Edit distance (insert, delete, substitute, swap of neighbours): small typos score 1. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    const prev = rows[i - 1] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1)
      }
      row[j] = best
    }
  }
  return (rows[a.length] as number[])[b.length] as number
}

/** The candidate closest to `word` (case ignored) and its distance; the first one on a tie. */
export function closest(
  word: string,
  candidates: readonly string[],
): { candidate: string | null; score: number } {
  let candidate: string | null = null
  let score = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < score) [candidate, score] = [c, d]
  }
  return { candidate, score }
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const { candidate, score } = closest(word, candidates)
  return score <= Math.max(1, Math.floor(word.length / 3)) ? candidate : null
}

/** " (did you mean 'x'?)" or "", ready to append to a message. */
export function hint(word: string, candidates: readonly string[], quote = "'"): string {
  const match = didYouMean(word, candidates)
  return match ? ` (did you mean ${quote}${match}${quote}?)` : ''
}
