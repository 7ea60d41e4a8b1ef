import { isAbsolute, resolve } from 'node:path'
import type { Clock } from '../core/clock.ts'
import { closest } from '../core/did-you-mean.ts'
import { CeleriacError } from '../core/errors.ts'
import { type Logger, silentLogger } from '../core/logger.ts'
import { readKeyRing } from '../security/payload-keys.ts'
import { PayloadSeal } from '../security/payload-seal.ts'
import type { BrokerEngine } from './broker.ts'
import { redactUrl } from './redact-url.ts'
import { createRedisBroker } from './redis/redis-broker.ts'
import { sealPayloads } from './sealed-broker.ts'
import type { SyncMode } from './sqlite/open-database.ts'
import { createSqliteBroker } from './sqlite/sqlite-broker.ts'
import { createUpstashBroker } from './upstash/upstash-broker.ts'

export { redactUrl }

export interface CreateBrokerOptions {
  clock: Clock
  resultTtlMs?: number
  deadTtlMs?: number
  sync?: SyncMode
  /** Base for relative sqlite paths (default: the process's cwd). */
  cwd?: string
  /** Redis: start even when maxmemory-policy is not noeviction (openBroker checks it). */
  allowEviction?: boolean
  /** Upstash: the token and idle poll to use when the URL lacks them (config's upstashToken, upstashIdlePollMs). */
  upstash?: { token?: string | null; idlePollMs?: number | null }
  log?: Logger
  /** SQLite: create the database file when missing (roles); false refuses it (client commands). */
  create?: boolean
  /** Key rings (`id:secret,…`, newest first) that sign messages and encrypt payloads; null: off. */
  payloadKeys?: { signing: string | null; encryption: string | null }
}

export const KNOWN_SCHEMES = [
  'sqlite',
  'redis',
  'rediss',
  'redis+cluster',
  'upstash',
  'upstash+http',
] as const
const REDIS_SCHEMES = new Set(['redis', 'rediss', 'redis+cluster'])
const UPSTASH_SCHEMES = new Set(['upstash', 'upstash+http'])

/**
 * Turns a broker URL into an engine:
 * `sqlite://./data/celeriac.db` (relative to cwd), `sqlite:///abs/path.db`, `sqlite::memory:`,
 * `redis://[:password@]host:6379/0`, `rediss://...` (TLS), `redis+cluster://host:7000,host:7001`,
 * `upstash://<token>@<host>` (REST over HTTPS; `upstash+http://` for a local plain-HTTP endpoint).
 */
export function createBroker(url: string, options: CreateBrokerOptions): BrokerEngine {
  const engine = createEngine(url, options)
  const { signing, encryption } = options.payloadKeys ?? { signing: null, encryption: null }
  if (!signing && !encryption) return engine
  const seal = new PayloadSeal(
    signing ? readKeyRing(signing, 'signing').ring : [],
    encryption ? readKeyRing(encryption, 'encryption').ring : [],
  )
  return sealPayloads(engine, seal, options.log ?? silentLogger)
}

function createEngine(url: string, options: CreateBrokerOptions): BrokerEngine {
  const scheme = schemeOf(url)
  if (scheme === 'sqlite') return createSqliteBroker({ ...options, ...sqliteOptions(url, options.cwd) })
  if (scheme !== null && REDIS_SCHEMES.has(scheme)) return createRedisBroker({ ...options, url })
  if (scheme !== null && UPSTASH_SCHEMES.has(scheme))
    return createUpstashBroker({
      ...options,
      url,
      defaults: {
        token: options.upstash?.token ?? undefined,
        idlePollMs: options.upstash?.idlePollMs ?? undefined,
      },
    })
  const hint = scheme === null ? 'sqlite' : suggestScheme(scheme)
  throw new CeleriacError(
    'CONFIG',
    `broker '${redactUrl(url)}': unknown scheme${scheme ? ` '${scheme}'` : ''}; ` +
      `did you mean '${hint}://'? (known: ${KNOWN_SCHEMES.map((s) => `${s}://`).join(', ')})`,
  )
}

/**
 * The engine's start-up checks: a Redis server that may evict keys is refused unless
 * `allowEviction`; missing persistence is a warning. The CLI awaits them before anything runs;
 * the library (createCeleriac) runs them before its first enqueue or reserve.
 */
export async function verifyBroker(broker: BrokerEngine, options: CreateBrokerOptions): Promise<void> {
  await broker.verify?.({ allowEviction: options.allowEviction ?? false, log: options.log ?? silentLogger })
}

/** createBroker plus its start-up checks; the broker is closed again if a check refuses it. */
export async function openBroker(url: string, options: CreateBrokerOptions): Promise<BrokerEngine> {
  const broker = createBroker(url, options)
  try {
    await verifyBroker(broker, options)
  } catch (err) {
    await broker.close().catch(() => {})
    throw err
  }
  return broker
}

/** The URL's scheme, lower-cased, or null when it has none. */
export function schemeOf(url: string): string | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)
  return match ? (match[1] as string).toLowerCase() : null
}

/** Path (relative ones against cwd) and the optional `?sync=full|normal` of a sqlite URL. */
function sqliteOptions(url: string, cwd = process.cwd()): { path: string; sync?: SyncMode } {
  const [rest = '', query = ''] = url.slice('sqlite:'.length).split('?')
  const sync = new URLSearchParams(query).get('sync')
  if (sync !== null && sync !== 'full' && sync !== 'normal') {
    throw new CeleriacError('CONFIG', `broker '${url}': sync must be 'full' or 'normal', got '${sync}'`)
  }
  const extra: { sync?: SyncMode } = sync === null ? {} : { sync }
  if (rest === ':memory:' || rest === '//:memory:') return { path: ':memory:', ...extra }
  const path = decodeURIComponent(rest.startsWith('//') ? rest.slice(2) : rest)
  if (path === '')
    throw new CeleriacError('CONFIG', `broker '${url}': no database file path after 'sqlite://'`)
  return { path: isAbsolute(path) ? path : resolve(cwd, path), ...extra }
}

/** The known scheme closest to `word` by edit distance (always one: a URL needs a scheme). */
export function suggestScheme(word: string): string {
  return closest(word, KNOWN_SCHEMES).candidate ?? KNOWN_SCHEMES[0]
}
