/** Small formatting helpers shared by the views: pure, so the tests can pin them. */

export function ago(ms: number | null, now: number): string {
  if (ms === null) return '—'
  const s = Math.round((now - ms) / 1000)
  if (s === 0) return 'just now'
  if (s < 0) return `in ${duration(-s * 1000)}`
  return `${duration(s * 1000)} ago`
}

export function duration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`
}

/** ISO time without milliseconds, in UTC (the store's clock; the browser's zone is unknown). */
export function isoTime(ms: number | null): string {
  if (ms === null) return '—'
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** JSON for display: pretty, and cut at `max` characters so a huge input cannot swamp a page. */
export function prettyJson(value: unknown, max = 20_000): string {
  const text = JSON.stringify(value, null, 2) ?? 'null'
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text
}

/** Text cut at `max` characters for a table cell. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** One-line JSON for table cells. */
export function shortJson(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? 'null'
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '—'
  return `${((part / whole) * 100).toFixed(1)} %`
}
