import type { Redis } from 'ioredis'
import type { Clock } from '../../core/clock.ts'
import { CeleriacError } from '../../core/errors.ts'
import { type Logger, silentLogger } from '../../core/logger.ts'
import type { BrokerEngine } from '../broker.ts'
import { redactUrl } from '../redact-url.ts'
import { checkRedisSafety } from './check-redis-safety.ts'
import { connect, type RedisClient } from './connect.ts'
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
 * Redis and Redis Cluster over ioredis: the shared Redis engine on the ioredis transport, plus the
 * start-up checks and the persistence report only a server of one's own has.
 */
export function createRedisBroker(options: RedisBrokerOptions) {
  const target = parseRedisUrl(options.url)
  const log = options.log ?? silentLogger
  const conn = connect(target, options.commandTimeoutMs ?? 5_000)
  // Errors surface on the commands that hit them; the 'error' event alone would only be noise.
  // The last one is kept: a command that gives up says only that it gave up, this says why.
  let lastConnectionError: Error | null = null
  for (const c of [conn.client, conn.waitClient])
    c.on('error', (err: Error) => {
      lastConnectionError = err
      log.debug('redis connection error', { error: err.message })
    })
  let unsafeConfig = false
  return {
    ...createRedisEngine({
      ...options,
      engine: 'redis',
      capabilities: { blockingReserve: true },
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
      await conn.client.ping().catch((err: Error) => {
        throw unreachable(target, lastConnectionError ?? err)
      })
      await checkDb(conn.client, target, options.url)
      unsafeConfig = (await checkRedisSafety(conn.client, checks)).unsafeConfig
    },
    /** How the server keeps its data: maintenance.backup reports it (Redis makes its own copies). */
    persistence: createPersistence({ conn }),
  } satisfies BrokerEngine
}

export type RedisBroker = ReturnType<typeof createRedisBroker>

/**
 * ioredis answers a failed SELECT at connect with an 'error' event and goes on in db 0, so a db
 * the server lacks (`/99` on a 16-db server) would silently share db 0: ask for it explicitly.
 */
async function checkDb(client: RedisClient, target: RedisTarget, url: string): Promise<void> {
  if (target.mode === 'cluster' || target.db === 0) return
  await (client as Redis).select(target.db).catch((err: Error) => {
    throw new CeleriacError(
      'CONFIG',
      `redis broker '${redactUrl(url)}': db ${target.db} is not usable: ${err.message}`,
    )
  })
}

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
