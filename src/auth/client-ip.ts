import type { Context } from 'hono'
import { type Cidr, inCidr, parseIp } from '../security/ip-address.ts'

interface RequestIpServer {
  requestIP(request: Request): { address: string } | null
}

/** Peers looked up before the request's Request object was replaced, by request. */
const pinned = new WeakMap<object, string | null>()

/**
 * Looks the peer up now and keeps it for this request: Bun's requestIP knows only the Request
 * object it created, so call this before a middleware replaces `c.req.raw` (to wrap its body).
 */
export function pinPeer(c: Context): void {
  pinned.set(c.req, peerAddress(c))
}

/** The direct peer from Bun's server (the fetch handler's second argument); null without one (app.request() in tests). */
function peerAddress(c: Context): string | null {
  if (pinned.has(c.req)) return pinned.get(c.req) ?? null
  const env = c.env as { server?: RequestIpServer } | RequestIpServer | undefined
  const server = env && 'server' in env ? env.server : env
  if (!server || typeof (server as RequestIpServer).requestIP !== 'function') return null
  return (server as RequestIpServer).requestIP(c.req.raw)?.address ?? null
}

function isTrusted(address: string, trusted: readonly Cidr[]): boolean {
  const ip = parseIp(address)
  return ip !== null && trusted.some((net) => inCidr(ip, net))
}

/**
 * The client a trusted proxy reports. X-Forwarded-For is read from the right: each proxy appends
 * the address it received from, so the rightmost entry that is not one of our proxies is the
 * first one a client could not have written itself. Fly-Client-IP (set by fly's edge) is used when
 * there is no X-Forwarded-For. Null when neither holds an IP address.
 */
function forwardedClient(c: Context, trusted: readonly Cidr[]): string | null {
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '')
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string
    if (parseIp(hop) === null) return null
    if (!isTrusted(hop, trusted) || i === 0) return hop
  }
  const fly = c.req.header('fly-client-ip')?.trim()
  return fly && parseIp(fly) ? fly : null
}

/**
 * The address that failed logins are counted against. The direct peer, unless the peer is one of
 * the configured trusted proxies: then the client the proxy reports (see forwardedClient). From
 * any other peer those headers are ignored, since a client could forge them to dodge the limit.
 * 'unknown' when there is no peer address at all.
 */
export function clientIp(c: Context, trustedProxies: readonly Cidr[] = []): string {
  const peer = peerAddress(c)
  if (peer === null) return 'unknown'
  if (trustedProxies.length === 0 || !isTrusted(peer, trustedProxies)) return peer
  return forwardedClient(c, trustedProxies) ?? peer
}
