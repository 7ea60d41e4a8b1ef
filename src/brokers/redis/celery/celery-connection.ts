import { Redis } from 'ioredis'
import { CeleriacError } from '../../../core/errors.ts'
import { redactUrl } from '../../redact-url.ts'
import { parseRedisUrl } from '../redis-url.ts'
import { defineTracingHasSubscribers } from '../tracing-channel-shim.ts'

/** The Redis Python Celery uses, with our key prefix (kombu's own keys carry none). */
export interface CeleryConnection {
  client: Redis
  prefix: string
  /** The database number: kombu's fanout channels carry it (`/{db}.celery.pidbox`). */
  db: number
}

/**
 * Opens the one Redis server kombu's transport works on. A cluster URL is refused: kombu's lists
 * and Celery's result keys live on a single server. `lazy` connects on the first command.
 */
export function openCeleryRedis(url: string, name: string, lazy = false): CeleryConnection {
  const target = parseRedisUrl(url)
  if (target.mode === 'cluster')
    throw new CeleriacError(
      'CONFIG',
      `celery: broker '${redactUrl(url)}' is a Redis Cluster; kombu's Redis transport (what Python Celery sends through) works on one Redis server only`,
    )
  const node = target.nodes[0] as { host: string; port: number }
  defineTracingHasSubscribers()
  const client = new Redis({
    host: node.host,
    port: node.port,
    db: target.db,
    username: target.username,
    password: target.password,
    tls: target.tls ? {} : undefined,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    lazyConnect: lazy,
    connectionName: name,
  })
  return { client, prefix: target.prefix, db: target.db }
}
