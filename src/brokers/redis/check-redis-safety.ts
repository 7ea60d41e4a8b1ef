import { CeleriacError } from '../../core/errors.ts'
import type { Logger } from '../../core/logger.ts'
import type { SafetyNode } from './redis-commands.ts'

export interface SafetyOptions {
  /** Start even if the server may evict keys (tasks would silently vanish). */
  allowEviction: boolean
  log: Logger
}

export interface SafetyReport {
  /** true when running on a config known to lose data (an allowed eviction policy): the metric's value. */
  unsafeConfig: boolean
  /** null when neither CONFIG nor INFO could be read (a managed host). */
  maxmemoryPolicy: string | null
  persistence: boolean | null
}

/** A setting from CONFIG GET, else from INFO (managed hosts often forbid CONFIG), else null. */
async function readSetting(
  node: SafetyNode,
  name: string,
  infoSection: string,
  infoField: string,
): Promise<string | null> {
  try {
    const reply = (await node.config('GET', name)) as string[]
    if (reply.length >= 2) return reply[1] as string
  } catch {
    // CONFIG is disabled or renamed: INFO may still tell.
  }
  try {
    const info = await node.info(infoSection)
    return new RegExp(`^${infoField}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null
  } catch {
    return null
  }
}

async function checkNode(node: SafetyNode, options: SafetyOptions): Promise<SafetyReport> {
  const { log } = options
  const { where } = node
  const policy = await readSetting(node, 'maxmemory-policy', 'memory', 'maxmemory_policy')
  const aof = await readSetting(node, 'appendonly', 'persistence', 'aof_enabled')
  const save = await readSetting(node, 'save', 'persistence', 'rdb_saves')
  let unsafeConfig = false
  if (policy === null) {
    log.warn(
      `redis broker: could not verify maxmemory-policy on ${where} (CONFIG and INFO unavailable); it must be noeviction`,
    )
  } else if (policy !== 'noeviction') {
    if (!options.allowEviction) {
      throw new CeleriacError(
        'CONFIG',
        `redis broker: maxmemory-policy must be noeviction (got ${policy}) on ${where}; pass --allow-eviction to start anyway`,
      )
    }
    unsafeConfig = true
    log.warn(
      `redis broker: WARNING: maxmemory-policy is ${policy} on ${where}, started with --allow-eviction: Redis may evict queued tasks and results under memory pressure`,
    )
  }
  const aofOn = aof === null ? null : aof === 'yes' || aof === '1'
  const rdbOn = save === null ? null : save !== '' && save !== '0'
  const persistence = aofOn === null && rdbOn === null ? null : aofOn === true || rdbOn === true
  if (persistence === false) {
    log.warn(
      `redis broker: persistence is off on ${where} (no AOF, no RDB saves): a restart of Redis loses every task`,
    )
  } else if (persistence === null) {
    log.warn(`redis broker: could not verify persistence on ${where}`)
  }
  return { unsafeConfig, maxmemoryPolicy: policy, persistence }
}

/**
 * Start-up checks, so no acknowledged task is lost to eviction or a restart: refuses an evicting
 * server unless allowed, warns when persistence is off, and says "could not verify" where the
 * server hides its config. Checks every master of a cluster.
 */
export async function checkRedisSafety(nodes: SafetyNode[], options: SafetyOptions): Promise<SafetyReport> {
  const reports: SafetyReport[] = []
  for (const node of nodes) reports.push(await checkNode(node, options))
  const persistence = reports.map((r) => r.persistence)
  return {
    unsafeConfig: reports.some((r) => r.unsafeConfig),
    maxmemoryPolicy: reports[0]?.maxmemoryPolicy ?? null,
    persistence: persistence.includes(false) ? false : persistence.includes(null) ? null : true,
  }
}
