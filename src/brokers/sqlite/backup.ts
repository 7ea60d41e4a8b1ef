import { statSync } from 'node:fs'
import type { SqliteContext } from './sqlite-context.ts'

/**
 * An online backup: VACUUM INTO writes a consistent, compacted copy through a read transaction,
 * so writers carry on (WAL). It runs on the calling thread for as long as the copy takes, which
 * is about a second per few hundred MB. The target must not exist yet.
 */
export function createBackup(ctx: SqliteContext): (path: string) => { bytes: number } {
  return (path) => {
    ctx.db.run('VACUUM INTO ?', [path])
    return { bytes: statSync(path).size }
  }
}
