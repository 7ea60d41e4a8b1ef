/**
 * Python's repr() of a JSON value, as Celery writes `argsrepr`/`kwargsrepr` and its events'
 * `args`/`kwargs`: Flower and celery-exporter show these strings as they are.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value)
  if (typeof value === 'string') return stringRepr(value)
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${stringRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`
  return stringRepr(String(value))
}

/** A call's positional arguments as Python shows a tuple: `(1,)`, `(1, 2)`, `()`. */
export function pythonTupleRepr(args: readonly unknown[]): string {
  if (args.length === 1) return `(${pythonRepr(args[0])},)`
  return `(${args.map(pythonRepr).join(', ')})`
}

function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  return String(n)
}

function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  const escaped = s
    .replaceAll('\\', '\\\\')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
  return `${quote}${quote === "'" ? escaped.replaceAll("'", "\\'") : escaped}${quote}`
}
