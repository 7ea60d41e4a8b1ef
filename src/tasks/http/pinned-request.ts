import { checkServerIdentity } from 'node:tls'
import type { CheckedTarget } from '../../security/resolve-outbound.ts'

/**
 * The fetch arguments that connect to the checked address rather than to whatever the name
 * resolves to next (DNS rebinding): the URL carries the IP, the Host header and TLS keep the name,
 * so virtual hosting, SNI and certificate checks still see the real host.
 */
export function pinnedRequest(target: CheckedTarget, init: RequestInit): { url: string; init: RequestInit } {
  const { url, address } = target
  if (address === null) return { url: url.href, init }
  const connect = new URL(url.href)
  connect.hostname = address.includes(':') ? `[${address}]` : address
  const headers = new Headers(init.headers)
  headers.set('host', url.host)
  const pinned: RequestInit & { tls?: object } = { ...init, headers }
  if (url.protocol === 'https:') {
    const name = url.hostname
    pinned.tls = {
      serverName: name,
      checkServerIdentity: (_: string, cert: never) => checkServerIdentity(name, cert),
    }
  }
  return { url: connect.href, init: pinned }
}
