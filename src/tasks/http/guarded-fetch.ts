import type { OutboundAllowList } from '../../security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../security/outbound-url-error.ts'
import { type ResolveHost, resolveOutbound } from '../../security/resolve-outbound.ts'
import { pinnedRequest } from './pinned-request.ts'

export const MAX_REDIRECTS = 5

export interface GuardedRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: string | null
  signal: AbortSignal
}

export interface OutboundPolicy {
  allow: OutboundAllowList
  resolve?: ResolveHost
}

/** Headers that must not follow a redirect to another origin: they are credentials for the first. */
const ORIGIN_BOUND = ['authorization', 'cookie', 'proxy-authorization']

/**
 * fetch with the outbound URL guard on every hop: redirects are followed by hand (at most
 * MAX_REDIRECTS), and each Location is checked (DNS included) before it is requested, so a public
 * endpoint cannot bounce the request to 169.254.169.254 or to a private service. Returns the
 * final response and the URL that gave it (by name: the connection itself went to a checked IP).
 */
export async function guardedFetch(
  request: GuardedRequest,
  policy: OutboundPolicy,
): Promise<{ response: Response; url: string }> {
  let current = { ...request, headers: { ...request.headers } }
  for (let hop = 0; ; hop++) {
    const target = await resolveOutbound(current.url, policy.allow, policy.resolve)
    const { url, init } = pinnedRequest(target, {
      method: current.method,
      headers: current.headers,
      body: current.body,
      redirect: 'manual',
      signal: current.signal,
    })
    const response = await fetch(url, init)
    const location = response.headers.get('location')
    if (response.status < 300 || response.status > 399 || location === null) {
      return { response, url: current.url }
    }
    await response.body?.cancel()
    if (hop >= MAX_REDIRECTS) {
      throw new OutboundUrlError(request.url, `more than ${MAX_REDIRECTS} redirects`)
    }
    current = followRedirect(current, response.status, location)
  }
}

function followRedirect(from: GuardedRequest, status: number, location: string): GuardedRequest {
  const next = new URL(location, from.url)
  const headers = { ...from.headers }
  if (next.origin !== new URL(from.url).origin) {
    for (const name of Object.keys(headers))
      if (ORIGIN_BOUND.includes(name.toLowerCase())) delete headers[name]
  }
  // 303, and 301/302 after a POST, become a GET without a body, as browsers and curl -L do.
  const toGet = status === 303 || ((status === 301 || status === 302) && from.method === 'POST')
  if (!toGet) return { ...from, url: next.href, headers }
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name]
  return { ...from, url: next.href, method: 'GET', body: null, headers }
}
