import { Database } from 'bun:sqlite'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { CeleriacError } from '../../core/errors.ts'
import { MIGRATIONS } from './migrations.ts'

export type SyncMode = 'full' | 'normal'

/** Long enough to ride out another process's write transaction and a WAL checkpoint. */
const BUSY_TIMEOUT_MS = 10_000

/**
 * Opens a broker file with its pragmas set and its schema migrated; creates it (and its folder)
 * only when `create`, so a client run from the wrong folder is told so instead of using an empty file.
 */
export function openDatabase(path: string, sync: SyncMode, create = true): Database {
  if (path !== ':memory:' && !create && !existsSync(path)) {
    throw new CeleriacError(
      'CONFIG',
      `sqlite broker: no database at ${path}; only the roles (worker, api, beat, all) create one: ` +
        'start one there first, or point CELERIAC_BROKER_URL (--broker) at the file they use',
    )
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { create: true, strict: true })
  // busy_timeout first: every later statement may meet another process's lock.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  enableWal(db)
  db.exec(`PRAGMA synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`)
  db.exec('PRAGMA foreign_keys = ON')
  migrate(db)
  return db
}

/**
 * WAL is a property of the file, set once by whichever process opens it first. Switching modes
 * takes an exclusive lock and SQLite does not run the busy handler for it, so two processes
 * opening a fresh file together (`celeriac all` and `celeriac call`) need this retry.
 */
function enableWal(db: Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS
  for (;;) {
    try {
      const row = db.query('PRAGMA journal_mode').get() as { journal_mode: string }
      if (row.journal_mode === 'wal') return
      db.exec('PRAGMA journal_mode = WAL')
      return
    } catch (err) {
      if (!String(err).includes('locked') && !String(err).includes('busy')) throw err
      if (Date.now() > deadline) throw err
      Bun.sleepSync(5 + Math.random() * 20)
    }
  }
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
