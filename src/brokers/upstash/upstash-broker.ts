import type { Clock } from '../../core/clock.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import { createRedisEngine } from '../redis/redis-engine.ts'
import { UpstashHttp } from './upstash-http.ts'
import { createUpstashTransport } from './upstash-transport.ts'
import { parseUpstashUrl, type UpstashDefaults } from './upstash-url.ts'

export interface UpstashBrokerOptions {
  /** `upstash://<token>@<host>`, `upstash://<host>?token=...`, `upstash+http://...` (see upstash-url.ts). */
  url: string
  clock: Clock
  /** Used when the URL has no token or idlePollMs (CELERIAC_UPSTASH_TOKEN, CELERIAC_UPSTASH_IDLE_POLL_MS). */
  defaults?: UpstashDefaults
  /** Key prefix (default: the URL's `?prefix=`, else 'celeriac'). */
  prefix?: string
  resultTtlMs?: number
  deadTtlMs?: number
  controlTtlMs?: number
  workerTtlMs?: number
  log?: Logger
}

/**
 * Upstash over its REST API: the Redis engine's operation modules, Lua scripts and key layout,
 * sent through @upstash/redis (EVALSHA, falling back to EVAL). HTTP has no blocking pop, so the
 * worker polls, backing off to `idlePollMs` when idle (Upstash bills per command); the commands of
 * one event-loop turn share one /pipeline request. There is no connection to close (HTTP
 * keep-alive): close() writes the events still buffered.
 */
export function createUpstashBroker(options: UpstashBrokerOptions) {
  const target = parseUpstashUrl(options.url, options.defaults)
  const log = options.log ?? silentLogger
  return createRedisEngine({
    ...options,
    engine: 'upstash',
    capabilities: { blockingReserve: false, idlePollMs: target.idlePollMs },
    conn: createUpstashTransport(new UpstashHttp(target, log)),
    log,
    prefix: options.prefix ?? target.prefix,
    cluster: false,
  })
}

export type UpstashBroker = ReturnType<typeof createUpstashBroker>
