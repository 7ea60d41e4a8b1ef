import type { Clock } from '../../core/clock.ts'
import { CeleriacError } from '../../core/errors.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import type { BrokerEngine } from '../broker.ts'
import { redactUrl } from '../redact-url.ts'
import { connectBun } from './bun-connect.ts'
import { checkRedisSafety } from './check-redis-safety.ts'
import { connect } from './connect.ts'
import { createPersistence } from './persistence.ts'
import { createRedisEngine } from './redis-engine.ts'
import { parseRedisUrl, type RedisTarget } from './redis-url.ts'

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
 * Redis and Redis Cluster: the shared Redis engine over TCP (ioredis, or Bun's client with
 * `?client=bun`), plus the start-up checks and the persistence report only a server of one's
 * own has.
 */
export function createRedisBroker(options: RedisBrokerOptions) {
  const target = parseRedisUrl(options.url)
  const log = options.log ?? silentLogger
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000
  const conn =
    target.client === 'bun' ? connectBun(target, commandTimeoutMs) : connect(target, commandTimeoutMs)
  // Errors surface on the commands that hit them; the 'error' event alone would only be noise.
  // The last one is kept: a command that gives up says only that it gave up, this says why.
  let lastConnectionError: Error | null = null
  conn.onError((err) => {
    lastConnectionError = err
    log.debug('redis connection error', { error: err.message })
  })
  let unsafeConfig = false
  return {
    ...createRedisEngine({
      ...options,
      engine: 'redis',
      // 100: a script call short enough that Redis starts on it while the next hundred are built.
      capabilities: { blockingReserve: true, enqueueChunk: 100, pipelinedClaims: true },
      conn,
      log,
      prefix: options.prefix ?? target.prefix,
      cluster: target.mode === 'cluster',
    }),
    get unsafeConfig(): boolean {
      return unsafeConfig
    },
    /** Refuses a server that may evict keys unless allowed; warns when persistence is off. */
    async verify(checks: { allowEviction: boolean; log: Logger }): Promise<void> {
      const dbUnusable = (err: Error) =>
        new CeleriacError(
          'CONFIG',
          `redis broker '${redactUrl(options.url)}': db ${target.db} is not usable: ${err.message}`,
        )
      await conn.ping().catch((err: Error) => {
        const cause = lastConnectionError ?? err
        // Bun's client selects the db while connecting: a db the server lacks fails the connection.
        if (/DB index/i.test(cause.message)) throw dbUnusable(cause)
        throw unreachable(target, cause)
      })
      await conn.checkDb(target.db).catch((err: Error) => {
        throw dbUnusable(err)
      })
      unsafeConfig = (await checkRedisSafety(conn.safetyNodes(), checks)).unsafeConfig
    },
    /** How the server keeps its data: maintenance.backup reports it (Redis makes its own copies). */
    persistence: createPersistence({ conn }),
  } satisfies BrokerEngine
}

export type RedisBroker = ReturnType<typeof createRedisBroker>

/** Start-up could not reach the server: where, over what, and the cause (with the fix for TLS trust). */
function unreachable(target: RedisTarget, cause: Error): CeleriacError {
  const where = target.nodes.map((n) => `${n.host}:${n.port}`).join(',')
  const trust = /certificate|self.signed|unable to verify|CERT_/i.test(cause.message)
    ? " (the server's certificate is not trusted: point NODE_EXTRA_CA_CERTS at your CA's PEM file)"
    : ''
  return new CeleriacError(
    'BROKER',
    `redis broker: cannot reach ${where}${target.tls ? ' over TLS' : ''}: ${cause.message}${trust}`,
  )
}
