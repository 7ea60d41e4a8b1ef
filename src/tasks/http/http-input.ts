import { z } from 'zod'
import { JsonValue } from '../../core/json.ts'
import type { OutboundAllowList } from '../../security/outbound-allow-list.ts'
import { outboundUrlField } from './outbound-url-field.ts'

/** Headers the transport sets itself: a caller's value would be wrong or would mislead the server. */
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
]

const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name (RFC 9110 token)')
  .refine((name) => !RESERVED_HEADERS.includes(name.toLowerCase()), 'set by the transport, not by the caller')
const HeaderValue = z
  .string()
  .max(8192)
  .refine((value) => !/[\r\n\0]/.test(value), 'must not contain CR, LF or NUL (header injection)')

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export function httpRequestInput(allow: OutboundAllowList) {
  return z
    .object({
      url: outboundUrlField(allow),
      method: z.enum(HTTP_METHODS).default('POST'),
      headers: z.record(HeaderName, HeaderValue).default({}),
      /** A string is sent as is; any other JSON value is sent as JSON. */
      body: JsonValue.optional(),
      /** Milliseconds for the whole exchange, redirects included. */
      timeout: z.number().int().min(100).max(300_000).default(30_000),
      /** Sign with the configured webhook secret; default: sign whenever a secret is configured. */
      sign: z.boolean().optional(),
    })
    .strict()
    .refine((r) => r.body === undefined || (r.method !== 'GET' && r.method !== 'HEAD'), {
      message: 'GET and HEAD requests carry no body',
      path: ['body'],
    })
}
export type HttpRequestInput = z.infer<ReturnType<typeof httpRequestInput>>
