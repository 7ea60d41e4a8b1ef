import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { EMPTY_STATE, ScheduleEntry } from '../../src/core/schedule-entry.ts'
import { unique } from './conformance/harness.ts'

export type MakeScheduleStore = (clock: FakeClock) => Promise<BrokerEngine>

/** Beat's storage, written against ScheduleStore only so every engine can run it unchanged. */
export function describeScheduleStore(name: string, make: MakeScheduleStore): void {
  describe(`schedule store conformance: ${name}`, () => {
    let clock: FakeClock
    let store: BrokerEngine
    const names: string[] = []

    beforeEach(async () => {
      clock = new FakeClock()
      store = await make(clock)
    })
    afterEach(async () => {
      for (const n of names.splice(0)) await store.deleteSchedule(n)
      await store.close()
    })

    const entry = (overrides: Record<string, unknown> = {}) => {
      const n = unique('sched')
      names.push(n)
      return ScheduleEntry.parse({ name: n, task: 'debug.noop', every: '5m', ...overrides })
    }

    test('stores an entry with its state and reads it back', async () => {
      const e = entry({ input: { a: 1 }, timezone: 'Europe/Amsterdam' })
      await store.putSchedule({ entry: e, state: EMPTY_STATE, source: 'store' })
      expect(await store.getSchedule(e.name)).toEqual({
        entry: e,
        state: EMPTY_STATE,
        source: 'store',
        updatedAt: clock.now(),
      })
      expect((await store.listSchedules()).map((s) => s.entry.name)).toContain(e.name)
    })

    test('updates the run state without touching an entry edited meanwhile', async () => {
      const e = entry()
      await store.putSchedule({ entry: e, state: EMPTY_STATE, source: 'store' })
      await store.putSchedule({ entry: { ...e, every: '10m' }, state: EMPTY_STATE, source: 'store' })
      const state = {
        ...EMPTY_STATE,
        lastRunAt: 1,
        nextRunAt: 2,
        totalRuns: 3,
        lastTaskId: 't',
        lastOutcome: 'SUCCESS',
      }
      await store.saveScheduleState(e.name, state)
      expect(await store.getSchedule(e.name)).toMatchObject({ entry: { every: '10m' }, state })
    })

    test('deletes an entry and says whether there was one', async () => {
      const e = entry()
      await store.putSchedule({ entry: e, state: EMPTY_STATE, source: 'config' })
      expect(await store.deleteSchedule(e.name)).toBe(true)
      expect(await store.deleteSchedule(e.name)).toBe(false)
      expect(await store.getSchedule(e.name)).toBeNull()
    })

    test('gives a lock to one holder, lets it renew, and hands it over only after expiry', async () => {
      const lock = unique('lock')
      expect(await store.acquireLock(lock, 'a', 1_000)).toBe(true)
      expect(await store.acquireLock(lock, 'b', 1_000)).toBe(false)
      clock.advance(900)
      expect(await store.acquireLock(lock, 'a', 1_000)).toBe(true)
      clock.advance(900)
      expect(await store.acquireLock(lock, 'b', 1_000)).toBe(false)
      clock.advance(100)
      expect(await store.acquireLock(lock, 'b', 1_000)).toBe(true)
      expect(await store.acquireLock(lock, 'a', 1_000)).toBe(false)
      await store.releaseLock(lock, 'a')
      expect(await store.acquireLock(lock, 'a', 1_000)).toBe(false)
      await store.releaseLock(lock, 'b')
      expect(await store.acquireLock(lock, 'a', 1_000)).toBe(true)
      await store.releaseLock(lock, 'a')
    })

    test('tells who holds a lock without taking it: the holder until expiry, then nobody', async () => {
      const lock = unique('lock')
      expect(await store.lockHolder(lock)).toBeNull()
      await store.acquireLock(lock, 'a', 1_000)
      expect(await store.lockHolder(lock)).toBe('a')
      expect(await store.acquireLock(lock, 'b', 1_000)).toBe(false)
      clock.advance(1_000)
      expect(await store.lockHolder(lock)).toBeNull()
      expect(await store.acquireLock(lock, 'b', 1_000)).toBe(true)
      await store.releaseLock(lock, 'b')
      expect(await store.lockHolder(lock)).toBeNull()
    })
  })
}
