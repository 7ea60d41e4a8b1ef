import { SQL } from 'bun'
import { Redis } from 'ioredis'
import type { HealthCheckTarget } from '../../config/health-checks.ts'
import type { OutboundAllowList } from '../../security/outbound-allow-list.ts'
import { guardedFetch } from '../http/guarded-fetch.ts'

/** Probes one of the app's services by its URL's scheme; resolves to a detail, throws when down. */
export function probeAppService(
  target: HealthCheckTarget,
  allow: OutboundAllowList,
  timeoutMs: number,
): Promise<string> {
  const scheme = target.url.slice(0, target.url.indexOf(':'))
  if (scheme === 'postgres' || scheme === 'postgresql') return probePostgres(target.url, timeoutMs)
  if (scheme === 'redis' || scheme === 'rediss') return probeRedis(target.url, timeoutMs)
  return probeHttp(target.url, allow, timeoutMs)
}

async function probePostgres(url: string, timeoutMs: number): Promise<string> {
  const sql = new SQL(url, { max: 1, connectionTimeout: Math.ceil(timeoutMs / 1000) })
  try {
    await sql.unsafe('SELECT 1')
    return 'SELECT 1 answered'
  } finally {
    await sql.close({ timeout: 0 }).catch(() => {})
  }
}

async function probeRedis(url: string, timeoutMs: number): Promise<string> {
  // One attempt, no reconnect loop: a health check reports, it does not wait for a recovery.
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return `PING answered ${await redis.ping()}`
  } finally {
    redis.disconnect()
  }
}

/** GET under the outbound rules (DNS checked, redirects re-checked); any 2xx is healthy. */
async function probeHttp(url: string, allow: OutboundAllowList, timeoutMs: number): Promise<string> {
  const request = { url, method: 'GET', headers: {}, body: null, signal: AbortSignal.timeout(timeoutMs) }
  const { response } = await guardedFetch(request, { allow })
  await response.body?.cancel()
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return `HTTP ${response.status}`
}
