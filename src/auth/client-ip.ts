import type { Context } from 'hono'

interface RequestIpServer {
  requestIP(request: Request): { address: string } | null
}

/**
 * The peer address from Bun's server (the fetch handler's second argument), or 'unknown' when
 * there is none (app.request() in tests). Forwarded-For headers are not trusted: a client could
 * forge them to dodge the brute-force limit; behind a proxy every client shares its address.
 */
export function clientIp(c: Context): string {
  const env = c.env as { server?: RequestIpServer } | RequestIpServer | undefined
  const server = env && 'server' in env ? env.server : env
  if (!server || typeof (server as RequestIpServer).requestIP !== 'function') return 'unknown'
  return (server as RequestIpServer).requestIP(c.req.raw)?.address ?? 'unknown'
}
