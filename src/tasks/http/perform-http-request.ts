import { UnrecoverableError } from '../../core/errors.ts'
import { createOutboundAllowList } from '../../security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../security/outbound-url-error.ts'
import type { TaskServices } from '../task-services.ts'
import { guardedFetch } from './guarded-fetch.ts'
import { HttpNetworkError, statusError } from './http-errors.ts'
import type { HttpRequestInput } from './http-input.ts'
import { readCapped } from './read-capped.ts'
import { signatureHeaders } from './sign-body.ts'

/** Bytes of the response body kept in the result. */
export const RESPONSE_BODY_LIMIT = 64 * 1024

export interface HttpOutcome {
  status: number
  /** The URL that answered, after redirects. */
  url: string
  headers: Record<string, string>
  body: string
  truncated: boolean
  durationMs: number
}

/** One guarded exchange with the retry decision made: returns on 2xx, throws what the worker needs. */
export async function performHttpRequest(
  input: HttpRequestInput,
  services: TaskServices,
  signal: AbortSignal,
): Promise<HttpOutcome> {
  const started = Date.now()
  const headers = { ...input.headers }
  const body = encodeBody(input.body, headers)
  Object.assign(headers, signing(input.sign, services.config.webhookSecret, body ?? ''))
  const timeout = AbortSignal.timeout(input.timeout)
  const allow = createOutboundAllowList(services.config.outboundAllowList)
  let response: Response
  let url: string
  try {
    ;({ response, url } = await guardedFetch(
      { url: input.url, method: input.method, headers, body, signal: AbortSignal.any([signal, timeout]) },
      { allow, resolve: services.resolveHost },
    ))
  } catch (err) {
    if (err instanceof OutboundUrlError || signal.aborted) throw err
    if (timeout.aborted)
      throw new HttpNetworkError(`http ${input.method} ${input.url}: no answer within ${input.timeout} ms`)
    throw new HttpNetworkError(`http ${input.method} ${input.url}: ${(err as Error).message}`)
  }
  const read = await readCapped(response, RESPONSE_BODY_LIMIT)
  if (response.status >= 400) {
    throw statusError(response.status, url, read.text, response.headers.get('retry-after'))
  }
  return {
    status: response.status,
    url,
    headers: Object.fromEntries(response.headers),
    body: read.text,
    truncated: read.truncated,
    durationMs: Date.now() - started,
  }
}

function encodeBody(body: HttpRequestInput['body'], headers: Record<string, string>): string | null {
  if (body === undefined) return null
  if (typeof body === 'string') return body
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json'
  }
  return JSON.stringify(body)
}

function signing(sign: boolean | undefined, secret: string | null, body: string): Record<string, string> {
  if (sign === false || (sign === undefined && !secret)) return {}
  if (!secret) throw new UnrecoverableError('http.request: sign is true but no webhook secret is configured')
  return signatureHeaders(secret, body, Date.now())
}
