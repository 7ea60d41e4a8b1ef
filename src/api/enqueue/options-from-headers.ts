import type { Context } from 'hono'
import type { EnqueueOptions } from '../../core/build-message.ts'
import { OPTION_HEADERS, UNIQUE_HEADERS } from '../schemas/enqueue.ts'

const INTEGER = /^-?\d{1,16}$/

/** Digits become numbers; anything else stays text, so the options schema names the bad header. */
function value(text: string): string | number {
  const trimmed = text.trim()
  return INTEGER.test(trimmed) ? Number(trimmed) : trimmed
}

/** Enqueue options sent as headers (for POST /tasks/{name}, whose body is the bare input). */
export function optionsFromHeaders(c: Context): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  for (const [key, header] of Object.entries(OPTION_HEADERS)) {
    const raw = c.req.header(header)
    if (raw === undefined) continue
    options[key] = key === 'queue' || key === 'idempotencyKey' || key === 'concurrencyKey' ? raw : value(raw)
  }
  const uniqueKey = c.req.header(UNIQUE_HEADERS.key)
  const uniqueFor = c.req.header(UNIQUE_HEADERS.for)
  if (uniqueKey !== undefined || uniqueFor !== undefined) {
    options.unique = { key: uniqueKey, ...(uniqueFor === undefined ? {} : { for: value(uniqueFor) }) }
  }
  return options as EnqueueOptions
}
