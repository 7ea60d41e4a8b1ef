import { ApiError } from '../api-error.ts'
import { nestingDepth } from './nesting-depth.ts'

/** Deeper input is refused: storing it would overflow JSON.stringify's stack in the broker. */
export const MAX_DEPTH = 64
/** 2^53 has 16 digits: text without such a run holds no unsafe integer, so the slow path is skipped. */
const LONG_DIGITS = /\d{16}/
/** Only an escape can put a lone surrogate in a string (the body was valid UTF-8). */
const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/

function rejectUnsafeIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const source = context?.source ?? String(value)
    // An exponent (1e20) is the sender's choice of a float; a plain literal would be silently rounded.
    if (!/[eE]/.test(source)) {
      throw new ApiError(
        400,
        'unsafe_integer',
        `integer ${source} is beyond 2^53 and would be rounded; send it as a string`,
      )
    }
  }
  return value
}

function parse(text: string): unknown {
  try {
    if (!LONG_DIGITS.test(text)) return JSON.parse(text)
    return JSON.parse(text, rejectUnsafeIntegers as (key: string, value: unknown) => unknown)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`)
  }
}

/** Walks every string and key without recursion (depth is already bounded, but cheaply so). */
function assertWellFormed(root: unknown): void {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') {
      if (!value.isWellFormed()) {
        throw new ApiError(
          400,
          'invalid_unicode',
          'request body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF)',
        )
      }
    } else if (Array.isArray(value)) stack.push(...value)
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) stack.push(key, inner)
    }
  }
}

/**
 * JSON.parse with the checks a queue needs before storing input: bounded nesting, no integer
 * beyond 2^53 (it would be rounded, silently changing an id), no lone surrogate (it cannot be
 * encoded as UTF-8 and would be mangled by a broker). Every failure is a 400 ApiError.
 */
export function parseStrictJson(text: string): unknown {
  if (text.length > MAX_DEPTH * 2 && nestingDepth(text) > MAX_DEPTH) {
    throw new ApiError(400, 'too_deep', `request body nests deeper than ${MAX_DEPTH} levels`)
  }
  const value = parse(text)
  if (SURROGATE_ESCAPE.test(text)) assertWellFormed(value)
  return value
}
