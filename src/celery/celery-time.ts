/**
 * Celery writes eta and expires as ISO-8601 (`2026-01-02T03:04:05.123456+00:00`); a time without
 * an offset is UTC, Celery's default timezone. Returns epoch ms, or null for a missing value.
 */
export function parseCeleryTime(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string')
    throw new Error(`headers.${field}: expected an ISO-8601 time, got ${typeof value}`)
  const hasOffset = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value)
  const ms = Date.parse(hasOffset ? value : `${value}Z`)
  if (Number.isNaN(ms)) throw new Error(`headers.${field}: '${value}' is not an ISO-8601 time`)
  return ms
}

/** Python's `datetime.utcnow().isoformat()`: what Celery writes as date_done (microseconds, no offset). */
export function celeryDateDone(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000`
}

/** Python's `datetime.isoformat()` of an aware UTC time: what Task.retry writes as the new eta. */
export function celeryEta(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000+00:00`
}
