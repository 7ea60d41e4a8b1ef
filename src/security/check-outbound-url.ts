import { parseIp } from './ip-address.ts'
import { normalizeHost, type OutboundAllowList } from './outbound-allow-list.ts'
import { OutboundUrlError } from './outbound-url-error.ts'
import { isReservedAddress } from './reserved-networks.ts'

/** Names that always mean "this host" or a private network, whatever DNS says. */
const PRIVATE_NAMES = ['localhost']
const PRIVATE_SUFFIXES = ['.localhost', '.internal', '.local', '.home.arpa']

/**
 * The checks that need no DNS, for validation at enqueue (a zod refine) and as the first step at
 * send time. Parses with the WHATWG URL parser, the one fetch uses: it already turns 2130706433,
 * 0177.0.0.1 and 0x7f.1 into 127.0.0.1, so every spelling of an address is judged as the address.
 * Returns the parsed URL, or throws OutboundUrlError saying why it is refused.
 */
export function checkOutboundUrl(text: string, allow: OutboundAllowList): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new OutboundUrlError(text, 'not a valid absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundUrlError(
      text,
      `scheme '${url.protocol.slice(0, -1)}' is not allowed (http or https only)`,
    )
  }
  const host = normalizeHost(url.hostname)
  if (host === '') throw new OutboundUrlError(text, 'no host')
  if (allow.allowsHost(host)) return url
  if (parseIp(host)) {
    checkAddress(text, host, host, allow)
    return url
  }
  if (PRIVATE_NAMES.includes(host) || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) {
    throw new OutboundUrlError(text, `host '${host}' is a local or private name`)
  }
  return url
}

/**
 * Throws when `address` (the host itself, or what it resolved to) is loopback, private, link-local
 * or otherwise reserved, and no allow-list entry covers it.
 */
export function checkAddress(text: string, host: string, address: string, allow: OutboundAllowList): void {
  const ip = parseIp(address)
  if (!ip) throw new OutboundUrlError(text, `host '${host}' resolved to '${address}', not an IP address`)
  if (!isReservedAddress(ip) || allow.allowsAddress(ip)) return
  const shown =
    host === normalizeHost(address) ? `address ${host}` : `host '${host}' resolves to ${address}, which`
  throw new OutboundUrlError(text, `${shown} is a loopback, private, link-local or reserved address`)
}
