import { isAbsolute, resolve } from 'node:path'
import type { Clock } from '../core/clock.ts'
import { CeleriacError } from '../core/errors.ts'
import type { BrokerEngine } from './broker.ts'
import { redactUrl } from './redact-url.ts'
import type { SyncMode } from './sqlite/open-database.ts'
import { createSqliteBroker } from './sqlite/sqlite-broker.ts'

export { redactUrl }

export interface CreateBrokerOptions {
  clock: Clock
  resultTtlMs?: number
  deadTtlMs?: number
  sync?: SyncMode
  /** Base for relative sqlite paths (default: the process's cwd). */
  cwd?: string
}

export const KNOWN_SCHEMES = ['sqlite', 'redis', 'rediss', 'redis+cluster', 'upstash'] as const
const PENDING_SCHEMES = new Set(['redis', 'rediss', 'redis+cluster', 'upstash'])

/**
 * Turns a broker URL into an engine:
 * `sqlite://./data/celeriac.db` (relative to cwd), `sqlite:///abs/path.db`, `sqlite::memory:`.
 */
export function createBroker(url: string, options: CreateBrokerOptions): BrokerEngine {
  const scheme = schemeOf(url)
  if (scheme === 'sqlite') return createSqliteBroker({ ...options, ...sqliteOptions(url, options.cwd) })
  if (scheme !== null && PENDING_SCHEMES.has(scheme)) {
    throw new CeleriacError('CONFIG', `broker '${redactUrl(url)}': the ${scheme} engine is not available yet`)
  }
  const hint = scheme === null ? 'sqlite' : suggestScheme(scheme)
  throw new CeleriacError(
    'CONFIG',
    `broker '${redactUrl(url)}': unknown scheme${scheme ? ` '${scheme}'` : ''}; ` +
      `did you mean '${hint}://'? (known: ${KNOWN_SCHEMES.map((s) => `${s}://`).join(', ')})`,
  )
}

function schemeOf(url: string): string | null {
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

/** The known scheme closest to `word` by edit distance. */
export function suggestScheme(word: string): string {
  const lower = word.toLowerCase()
  let best: string = KNOWN_SCHEMES[0]
  let bestDistance = Number.POSITIVE_INFINITY
  for (const known of KNOWN_SCHEMES) {
    const d = levenshtein(lower, known)
    if (d < bestDistance) [best, bestDistance] = [known, d]
  }
  return best
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
    }
    prev = row
  }
  return prev[b.length] as number
}
