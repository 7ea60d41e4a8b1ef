import type { RawKind } from './define-field.ts'

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/

/**
 * Turns a string from the environment or a flag into the value its field expects. Strings that
 * cannot be converted come back unchanged, so schema validation reports them with what was given.
 */
export function coerce(raw: string, kind: RawKind): unknown {
  const text = raw.trim()
  switch (kind) {
    case 'string':
      return text
    case 'nullable-string':
      return text === '' ? null : text
    case 'int':
      return INTEGER.test(text) ? Number(text) : raw
    case 'nullable-int':
      if (text === '' || text === '0' || text.toLowerCase() === 'none') return null
      return INTEGER.test(text) ? Number(text) : raw
    case 'seconds':
      return DECIMAL.test(text) ? Math.round(Number(text) * 1000) : raw
    case 'bool':
      return toBool(text) ?? raw
    case 'json':
      return parseJson(text) ?? raw
    case 'list':
      return text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function toBool(text: string): boolean | null {
  const lower = text.toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true
  if (['0', 'false', 'no', 'off', ''].includes(lower)) return false
  return null
}

/** A value as a user would recognise it in an error message: strings quoted, the rest as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  return JSON.stringify(value) ?? String(value)
}
