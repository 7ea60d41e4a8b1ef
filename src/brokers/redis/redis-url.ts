import { CeleriacError } from '../../core/errors.ts'
import { redactUrl } from '../redact-url.ts'

export interface RedisNode {
  host: string
  port: number
}

/** What a broker URL says about the connection; everything else comes from RedisBrokerOptions. */
export interface RedisTarget {
  mode: 'standalone' | 'cluster'
  nodes: RedisNode[]
  tls: boolean
  username?: string
  password?: string
  db: number
  /** Key prefix from `?prefix=` (default 'celeriac'). */
  prefix: string
  /** Which client speaks to the server, from `?client=`: ioredis (default) or Bun's built-in one. */
  client: RedisClientKind
}

export const REDIS_CLIENTS = ['ioredis', 'bun'] as const
export type RedisClientKind = (typeof REDIS_CLIENTS)[number]

const DEFAULT_PORT = 6379

/**
 * Parses `redis://[user:pass@]host[:port][/db]`, `rediss://...` (TLS) and
 * `redis+cluster://[user:pass@]host:port,host:port` (a cluster: any reachable nodes as seeds).
 * `?prefix=name` sets the key prefix, so several apps can share one server; `?client=bun` uses
 * Bun's built-in client (one server, Redis 6 or later) instead of ioredis.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const fail = (why: string): never => {
    throw new CeleriacError('CONFIG', `broker '${redactUrl(url)}': ${why}`)
  }
  const match = /^(redis|rediss|redis\+cluster):\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(
    url,
  )
  if (!match)
    return fail('expected redis://host:port/db, rediss://... or redis+cluster://host:port,host:port')
  const [, scheme = '', auth, hosts = '', path = '', query = ''] = match
  const mode = scheme.toLowerCase() === 'redis+cluster' ? 'cluster' : 'standalone'
  const nodes = hosts.split(',').map((h) => parseNode(h, fail))
  if (nodes.length === 0 || (mode === 'standalone' && nodes.length > 1)) {
    fail('give one host (or use redis+cluster:// for several)')
  }
  const db = parseDb(path, fail)
  if (mode === 'cluster' && db !== 0) fail('a Redis Cluster has only db 0')
  const params = new URLSearchParams(query)
  const target: RedisTarget = {
    mode,
    nodes,
    tls: scheme.toLowerCase() === 'rediss' || params.get('tls') === 'true',
    db,
    prefix: params.get('prefix') ?? 'celeriac',
    client: parseClient(params.get('client'), mode, fail),
  }
  if (auth !== undefined && auth !== '') {
    const [user = '', pass] = auth.split(':')
    if (user !== '') target.username = decodeURIComponent(user)
    if (pass !== undefined) target.password = decodeURIComponent(pass)
  }
  return target
}

function parseNode(text: string, fail: (why: string) => never): RedisNode {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim())
  if (!m) return fail(`invalid host '${text}'`)
  const host = (m[1] as string).replace(/^\[|\]$/g, '')
  const port = m[2] === undefined ? DEFAULT_PORT : Number(m[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`invalid port in '${text}'`)
  return { host, port }
}

function parseDb(path: string, fail: (why: string) => never): number {
  const text = path.replace(/^\//, '')
  if (text === '') return 0
  const db = Number(text)
  if (!Number.isInteger(db) || db < 0) fail(`db must be a number, got '${text}'`)
  return db
}

function parseClient(
  text: string | null,
  mode: RedisTarget['mode'],
  fail: (why: string) => never,
): RedisClientKind {
  if (text === null) return 'ioredis'
  const client = REDIS_CLIENTS.find((c) => c === text)
  if (!client) return fail(`client must be one of ${REDIS_CLIENTS.join(', ')}, got '${text}'`)
  // Bun's client has no cluster support: it would follow no MOVED redirection.
  if (client === 'bun' && mode === 'cluster') fail('client=bun works with one server, not a cluster')
  return client
}
