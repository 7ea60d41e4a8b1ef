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
}

const DEFAULT_PORT = 6379

/**
 * Parses `redis://[user:pass@]host[:port][/db]`, `rediss://...` (TLS) and
 * `redis+cluster://[user:pass@]host:port,host:port` (a cluster: any reachable nodes as seeds).
 * `?prefix=name` sets the key prefix, so several apps can share one server.
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
