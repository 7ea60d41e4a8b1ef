import type { Clock } from '../../core/clock.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import type { BrokerCapabilities, Lease, ReserveRequest } from '../broker.ts'
import { RedisOpsBroker } from '../redis/redis-ops-broker.ts'
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
 * one event-loop turn share one /pipeline request.
 */
export class UpstashBroker extends RedisOpsBroker {
  readonly engine = 'upstash'
  readonly capabilities: BrokerCapabilities
  private closed = false

  constructor(options: UpstashBrokerOptions) {
    const target = parseUpstashUrl(options.url, options.defaults)
    const log = options.log ?? silentLogger
    const conn = createUpstashTransport(new UpstashHttp(target, log))
    super({ ...options, conn, log, prefix: options.prefix ?? target.prefix, cluster: false })
    this.capabilities = { blockingReserve: false, singleHost: false, idlePollMs: target.idlePollMs }
  }

  /** HTTP cannot block: a `waitMs` is ignored (as the interface allows) and the worker polls. */
  override reserve(request: ReserveRequest): Promise<Lease[]> {
    return this.ops.reserve({ ...request, waitMs: undefined })
  }

  /** Writes the events still buffered; there is no connection to close (HTTP keep-alive). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ctx.events.flush()
  }
}

export function createUpstashBroker(options: UpstashBrokerOptions): UpstashBroker {
  return new UpstashBroker(options)
}
