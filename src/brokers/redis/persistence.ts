import type { Json } from '../../core/json.ts'
import type { RedisContext } from './redis-context.ts'

const FIELDS = [
  'aof_enabled',
  'aof_last_write_status',
  'rdb_changes_since_last_save',
  'rdb_last_save_time',
  'rdb_last_bgsave_status',
]

/**
 * What maintenance.backup reports on Redis, whose copies are the server's own (AOF, RDB): the
 * `INFO persistence` fields that say whether writes reach disk. On a cluster: the node asked.
 */
export function createPersistence(ctx: Pick<RedisContext, 'conn'>) {
  return async (): Promise<Record<string, Json>> => {
    const info = String(await ctx.conn.client.info('persistence'))
    const report: Record<string, Json> = { engine: 'redis' }
    for (const line of info.split(/\r?\n/)) {
      const [key, value] = line.split(':')
      if (key && value !== undefined && FIELDS.includes(key)) {
        report[key] = /^-?\d+$/.test(value) ? Number(value) : value.trim()
      }
    }
    return report
  }
}
