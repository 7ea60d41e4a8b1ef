import type { ScheduleEntry, ScheduleState } from '../../core/schedule-entry.ts'
import type { StoredSchedule } from '../broker.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

interface Row {
  entry: string
  state: string
  source: StoredSchedule['source']
  updated_at: number
}

function toStored(row: Row): StoredSchedule {
  return {
    entry: JSON.parse(row.entry) as ScheduleEntry,
    state: JSON.parse(row.state) as ScheduleState,
    source: row.source,
    updatedAt: row.updated_at,
  }
}

/** Schedule entries and their run state, one row each; state updates never touch the entry. */
export function createScheduleOperations(ctx: SqliteContext) {
  const { db, clock } = ctx
  const list = db.prepare<Row, []>('SELECT entry, state, source, updated_at FROM schedules ORDER BY name')
  const get = db.prepare<Row, [string]>(
    'SELECT entry, state, source, updated_at FROM schedules WHERE name = ?',
  )
  const put = db.prepare(
    `INSERT INTO schedules (name, entry, state, source, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET entry = excluded.entry, state = excluded.state,
       source = excluded.source, updated_at = excluded.updated_at`,
  )
  const remove = db.prepare('DELETE FROM schedules WHERE name = ?')
  const saveState = db.prepare('UPDATE schedules SET state = ? WHERE name = ?')
  return {
    listSchedules: () => list.all().map(toStored),
    getSchedule: (name: string) => {
      const row = get.get(name)
      return row ? toStored(row) : null
    },
    putSchedule: writeTx(db, (s: Omit<StoredSchedule, 'updatedAt'>) => {
      put.run(s.entry.name, JSON.stringify(s.entry), JSON.stringify(s.state), s.source, clock.now())
    }),
    deleteSchedule: writeTx(db, (name: string) => remove.run(name).changes > 0),
    saveScheduleState: writeTx(db, (name: string, state: ScheduleState) => {
      saveState.run(JSON.stringify(state), name)
    }),
  }
}

/** Named leases: whoever holds an unexpired one keeps it; an expired one goes to the next asker. */
export function createLockOperations(ctx: SqliteContext) {
  const { db, clock } = ctx
  const take = db.prepare(
    `INSERT INTO locks (name, token, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
     WHERE locks.token = excluded.token OR locks.expires_at <= ?`,
  )
  const release = db.prepare('DELETE FROM locks WHERE name = ? AND token = ?')
  const holder = db.prepare<{ token: string }, [string, number]>(
    'SELECT token FROM locks WHERE name = ? AND expires_at > ?',
  )
  return {
    acquireLock: writeTx(db, (name: string, token: string, ttlMs: number) => {
      const now = clock.now()
      return take.run(name, token, now + ttlMs, now).changes > 0
    }),
    releaseLock: writeTx(db, (name: string, token: string) => {
      release.run(name, token)
    }),
    lockHolder: async (name: string) => holder.get(name, clock.now())?.token ?? null,
  }
}
