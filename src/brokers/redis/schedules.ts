import type { ScheduleState } from '../../core/schedule-entry.ts'
import type { StoredSchedule } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'

type Definition = Omit<StoredSchedule, 'state'>

function fromReply(reply: unknown): StoredSchedule[] {
  const flat = reply as (string | null | false)[]
  const out: StoredSchedule[] = []
  for (let i = 0; i < flat.length; i += 3) {
    const def = JSON.parse(String(flat[i + 1])) as Definition
    const state = flat[i + 2] ? (JSON.parse(String(flat[i + 2])) as ScheduleState) : null
    if (state) out.push({ ...def, state })
  }
  return out.sort((a, b) => a.entry.name.localeCompare(b.entry.name))
}

/** Beat's entries and run state in two hashes of one slot; every step is one script. */
export function createScheduleOperations(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  const both = [keys.schedules, keys.scheduleStates]
  return {
    listSchedules: async () => fromReply(await conn.run('readSchedules', both, [''])),
    getSchedule: async (name: string) => fromReply(await conn.run('readSchedules', both, [name]))[0] ?? null,
    putSchedule: async (s: Omit<StoredSchedule, 'updatedAt'>) => {
      const def: Definition = { entry: s.entry, source: s.source, updatedAt: clock.now() }
      await conn.run('putSchedule', both, [s.entry.name, JSON.stringify(def), JSON.stringify(s.state)])
    },
    deleteSchedule: async (name: string) => Number(await conn.run('deleteSchedule', both, [name])) === 1,
    saveScheduleState: async (name: string, state: ScheduleState) => {
      await conn.run('saveScheduleState', both, [name, JSON.stringify(state)])
    },
  }
}

/** Named leases judged against the injected clock (see acquire-lock-1.lua). */
export function createLockOperations(ctx: RedisContext) {
  const { conn, keys, clock } = ctx
  return {
    acquireLock: async (name: string, token: string, ttlMs: number) =>
      Number(await conn.run('acquireLock', [keys.lock(name)], [token, clock.now(), ttlMs])) === 1,
    releaseLock: async (name: string, token: string) => {
      await conn.run('releaseLock', [keys.lock(name)], [token])
    },
    /** Reads "<expiresAt>:<token>" as acquire-lock-1.lua writes it; expiry judged by our clock. */
    lockHolder: async (name: string) => {
      const [held] = await conn.client.mget(keys.lock(name))
      if (held == null) return null
      const sep = held.indexOf(':')
      return Number(held.slice(0, sep)) > clock.now() ? held.slice(sep + 1) : null
    },
  }
}
