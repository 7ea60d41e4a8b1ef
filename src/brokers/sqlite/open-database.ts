import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIGRATIONS } from './migrations.ts'

export type SyncMode = 'full' | 'normal'

/** Long enough to ride out another process's write transaction and a WAL checkpoint. */
const BUSY_TIMEOUT_MS = 10_000

/** Opens (creating if needed) a broker file with its pragmas set and its schema migrated. */
export function openDatabase(path: string, sync: SyncMode): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { create: true, strict: true })
  // busy_timeout first: every later statement may meet another process's lock.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec(`PRAGMA synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`)
  db.exec('PRAGMA foreign_keys = ON')
  migrate(db)
  return db
}

function userVersion(db: Database): number {
  const row = db.query('PRAGMA user_version').get() as { user_version: number }
  return row.user_version
}

/**
 * Applies pending migrations in one write transaction. The version is read again inside it, so
 * processes opening a fresh file at the same moment migrate it once.
 */
function migrate(db: Database): void {
  if (userVersion(db) >= MIGRATIONS.length) return
  db.transaction(() => {
    for (let v = userVersion(db); v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string)
      db.exec(`PRAGMA user_version = ${v + 1}`)
    }
  }).immediate()
}
