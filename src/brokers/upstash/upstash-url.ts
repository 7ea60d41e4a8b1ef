import { CeleriacError } from '../../core/errors.ts'
import { redactUrl } from '../redact-url.ts'

/** Upstash refuses requests above 10 MB (Free and Pay-as-you-go); we refuse them first. */
export const UPSTASH_MAX_REQUEST_BYTES = 10 * 1024 * 1024
/** Longest idle sleep between empty reserves: about one reserve request per second when idle. */
export const DEFAULT_IDLE_POLL_MS = 1_000

export interface UpstashTarget {
  /** REST endpoint: https://host[:port] (`upstash://`) or http://host[:port] (`upstash+http://`). */
  baseUrl: string
  token: string
  prefix: string
  idlePollMs: number
  maxRequestBytes: number
  timeoutMs: number
  retries: number
}

/** Values from the environment or the caller, used where the URL says nothing. */
export interface UpstashDefaults {
  token?: string
  idlePollMs?: number
}

/**
 * `upstash://<token>@<host>[:port]` or `upstash://<host>?token=<token>` (HTTPS), and
 * `upstash+http://...` for a plain-HTTP endpoint (a local emulator). Query parameters: `prefix`,
 * `idlePollMs`, `maxRequestBytes`, `timeoutMs`, `retries`. Without a token in the URL, the
 * defaults' token (CELERIAC_UPSTASH_TOKEN) is used.
 */
export function parseUpstashUrl(url: string, defaults: UpstashDefaults = {}): UpstashTarget {
  const fail = (why: string): never => {
    throw new CeleriacError('CONFIG', `broker '${redactUrl(url)}': ${why}`)
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return fail('not a valid URL')
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase()
  if (scheme !== 'upstash' && scheme !== 'upstash+http') fail(`not an upstash URL`)
  if (parsed.hostname === '') fail('no host')
  const q = parsed.searchParams
  const token = decodeURIComponent(parsed.username) || q.get('token') || defaults.token || ''
  if (token === '') fail('no token (give upstash://<token>@<host>, ?token= or CELERIAC_UPSTASH_TOKEN)')
  const number = (name: string, fallback: number, min: number): number => {
    const text = q.get(name)
    if (text === null) return fallback
    const value = Number(text)
    if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min}, got '${text}'`)
    return value
  }
  const port = parsed.port === '' ? '' : `:${parsed.port}`
  return {
    baseUrl: `${scheme === 'upstash' ? 'https' : 'http'}://${parsed.hostname}${port}`,
    token,
    prefix: q.get('prefix') || 'celeriac',
    idlePollMs: number('idlePollMs', defaults.idlePollMs ?? DEFAULT_IDLE_POLL_MS, 1),
    maxRequestBytes: number('maxRequestBytes', UPSTASH_MAX_REQUEST_BYTES, 1_024),
    timeoutMs: number('timeoutMs', 10_000, 1),
    retries: number('retries', 3, 0),
  }
}
