import { lookup } from 'node:dns/promises'
import { checkAddress, checkOutboundUrl } from './check-outbound-url.ts'
import { parseIp } from './ip-address.ts'
import { normalizeHost, type OutboundAllowList } from './outbound-allow-list.ts'

/** Resolves a host name to every address it has (A and AAAA). Injected so tests control DNS. */
export type ResolveHost = (host: string) => Promise<string[]>

export const systemResolveHost: ResolveHost = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true })
  return found.map((entry) => entry.address)
}

/** A URL that passed every check, with the address to connect to (null: connect by name). */
export interface CheckedTarget {
  url: URL
  address: string | null
}

/**
 * The full check at send time: the syntax checks, then DNS. Every address the name resolves to
 * must be public (or allow-listed): a name with one private address among public ones is refused,
 * since the connection could pick it. The caller connects to the returned address, so a second,
 * different DNS answer (rebinding) cannot change where the request goes after the check.
 */
export async function resolveOutbound(
  text: string,
  allow: OutboundAllowList,
  resolve: ResolveHost = systemResolveHost,
): Promise<CheckedTarget> {
  const url = checkOutboundUrl(text, allow)
  const host = normalizeHost(url.hostname)
  if (parseIp(host)) return { url, address: null }
  let addresses: string[]
  try {
    addresses = await resolve(host)
  } catch (err) {
    throw new HostLookupError(host, err)
  }
  if (addresses.length === 0) throw new HostLookupError(host, new Error('no addresses'))
  if (allow.allowsHost(host)) return { url, address: addresses[0] ?? null }
  for (const address of addresses) checkAddress(text, host, address, allow)
  return { url, address: addresses[0] ?? null }
}

/** DNS failed: possibly transient (a resolver hiccup), so this one is retried like a network error. */
export class HostLookupError extends Error {
  override name = 'HostLookupError'
  constructor(host: string, cause: unknown) {
    super(`outbound url: cannot resolve '${host}': ${(cause as Error).message ?? String(cause)}`)
  }
}
