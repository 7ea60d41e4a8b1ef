import type { Clock } from '../../core/clock.ts'
import type { Json } from '../../core/json.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import type { BrokerCapabilities } from '../broker.ts'
import { checkRedisSafety } from './check-redis-safety.ts'
import { connect, type RedisClient, type RedisConnections } from './connect.ts'
import { RedisOpsBroker } from './redis-ops-broker.ts'
import { parseRedisUrl } from './redis-url.ts'

export interface RedisBrokerOptions {
  /** `redis://[user:pass@]host:port/db`, `rediss://...`, `redis+cluster://host:port,host:port`. */
  url: string
  clock: Clock
  /** Key prefix (default: the URL's `?prefix=`, else 'celeriac'). */
  prefix?: string
  resultTtlMs?: number
  deadTtlMs?: number
  controlTtlMs?: number
  /** How long a silent worker stays listed (default 24 h). */
  workerTtlMs?: number
  /** A command with no reply after this long fails (default 5 s). */
  commandTimeoutMs?: number
  log?: Logger
}

/**
 * Redis and Redis Cluster engine over ioredis. A thin delegator: every operation is a module, and
 * every multi-key step one Lua script in lua/ touching one queue's slot.
 */
export class RedisBroker extends RedisOpsBroker {
  readonly engine = 'redis'
  readonly capabilities: BrokerCapabilities = { blockingReserve: true, singleHost: false }
  /** The command connection, for start-up checks and tests; operations never hand it out. */
  readonly client: RedisClient
  private readonly conn: RedisConnections
  private closed = false

  constructor(options: RedisBrokerOptions) {
    const target = parseRedisUrl(options.url)
    const log = options.log ?? silentLogger
    const conn = connect(target, options.commandTimeoutMs ?? 5_000)
    // Errors surface on the commands that hit them; the 'error' event alone would only be noise.
    for (const c of [conn.client, conn.blocking])
      c.on('error', (err: Error) => log.debug('redis connection error', { error: err.message }))
    super({
      ...options,
      conn,
      log,
      prefix: options.prefix ?? target.prefix,
      cluster: target.mode === 'cluster',
    })
    this.client = conn.client
    this.conn = conn
  }

  unsafeConfig = false

  /** Refuses a server that may evict keys unless allowed; warns when persistence is off. */
  async verify(options: { allowEviction: boolean; log: Logger }): Promise<void> {
    this.unsafeConfig = (await checkRedisSafety(this.client, options)).unsafeConfig
  }

  /** How the server keeps its data: maintenance.backup reports it (Redis makes its own copies). */
  persistence(): Promise<Record<string, Json>> {
    return this.ops.persistence()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ctx.events.flush()
    this.conn.blocking.disconnect()
    await this.conn.client.quit().catch(() => this.conn.client.disconnect())
  }
}

export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBroker(options)
}
