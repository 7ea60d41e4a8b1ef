/**
 * Bounds the distinct values of one label. Task names and queues come from the broker's events,
 * written by any producer: past `max` distinct values, new ones are counted as 'other', so a
 * misbehaving producer cannot grow the series count without bound.
 */
export class LabelGuard {
  private readonly seen = new Set<string>()

  constructor(private readonly max: number) {}

  value(raw: string | null | undefined): string {
    const text = raw ?? 'unknown'
    if (this.seen.has(text)) return text
    if (this.seen.size >= this.max) return 'other'
    this.seen.add(text)
    return text
  }
}

/** An error label is a class name ('TimeLimitExceeded'); anything else (a message?) is 'Error'. */
export function errorLabel(type: unknown): string {
  return typeof type === 'string' && /^[A-Za-z_$][\w$.]{0,63}$/.test(type) ? type : 'Error'
}
