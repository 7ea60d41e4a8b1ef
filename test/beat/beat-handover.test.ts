import { afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Beat } from '../../src/beat/beat.ts'
import { ScheduleService } from '../../src/beat/schedule-service.ts'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { EMPTY_STATE } from '../../src/core/schedule-entry.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'

// Fail-over between two beats sharing one store, with the default timings (10 s lease, 5 s
// grace): every fire time that falls in the handover is fired once by the standby.

const T0 = Date.UTC(2026, 5, 1, 10, 0, 0)
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const ENGINES: Record<string, (clock: FakeClock) => BrokerEngine> = {
  sqlite: (clock) => {
    const path = join(tmpdir(), `celeriac-beat-handover-${process.pid}-${Bun.randomUUIDv7()}.db`)
    const store = createSqliteBroker({ path, clock })
    cleanups.push(() => {
      store.close()
      for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true })
    })
    return store
  },
  redis: (clock) => {
    const prefix = testPrefix('beat-handover')
    const store = createRedisBroker({ url: REDIS_URL, clock, prefix })
    // Closed first: close() writes the events still buffered, which a later delete would miss.
    cleanups.push(async () => {
      await store.close()
      await deleteKeys(REDIS_URL, [prefix])
    })
    return store
  },
}

describe.each(Object.keys(ENGINES))('beat handover on %s', (engine) => {
  function setup() {
    const clock = new FakeClock(T0)
    const store = (ENGINES[engine] as (c: FakeClock) => BrokerEngine)(clock)
    const registry = createBuiltinRegistry()
    const client = new Client({ broker: store, registry, clock })
    const service = new ScheduleService({ store, registry, client, clock, defaultTimezone: 'UTC' })
    // Default lease, grace and tick: what a user runs.
    const beat = () => new Beat({ store, client, clock, log: silentLogger })
    const fired = async (name = 'debug.noop') =>
      (await store.listTasks({ name, limit: 1000 })).tasks.map((t) => t.createdAt).length
    return { clock, store, service, beat, fired }
  }

  test('a standby that takes over after the lease fires every slot that fell in the handover, once', async () => {
    const { clock, service, beat, fired } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const [leader, standby] = [beat(), beat()]
    clock.advance(1_000)
    await leader.tick()
    await standby.tick()
    expect(await fired()).toBe(1)
    // The leader dies (-9) just before the slot at T0+2s; the standby keeps ticking each second
    // and wins the lease once the dead leader's 10 s lease has run out.
    for (let i = 0; i < 12 && !standby.isLeader; i++) {
      clock.advance(1_000)
      await standby.tick()
    }
    expect(standby.isLeader).toBe(true)
    const takeover = clock.now()
    expect(takeover - (T0 + 1_000)).toBeGreaterThan(5_000) // beyond the grace: the case that lost fires
    const slots = (takeover - T0) / 1_000
    expect(await fired()).toBe(slots)
    const state = (await service.get('tick')).state
    expect(state).toMatchObject({ totalRuns: slots, lastRunAt: takeover, nextRunAt: takeover + 1_000 })
    // Ticking again (or a stale beat re-firing a slot) enqueues nothing twice.
    await standby.tick()
    await leader.tick()
    expect(await fired()).toBe(slots)
  })

  test('a takeover just after a slot inside the grace fires that slot and every later one', async () => {
    const { clock, service, beat, fired } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '2s' })
    const b = beat()
    clock.advance(2_000)
    await b.tick()
    // Nobody ticks for 4.5 s: slots T0+4s and T0+6s are both due, both inside the grace.
    clock.advance(4_500)
    await b.tick()
    expect(await fired()).toBe(3)
    expect((await service.get('tick')).state).toMatchObject({ lastRunAt: T0 + 6_000, nextRunAt: T0 + 8_000 })
  })

  test('catchUp still governs an outage longer than the lease: skip fires nothing missed', async () => {
    const { clock, service, beat, fired } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    clock.advance(1_000)
    await beat().tick()
    clock.advance(60_000)
    await beat().tick()
    expect(await fired()).toBe(1)
    expect((await service.get('tick')).state.lastOutcome).toContain('skipped')
  })

  test('one entry failing at fire time is recorded on it and never stops the others of the tick', async () => {
    const { clock, store, service, beat, fired } = setup()
    const broken = [
      { name: 'a-unknown', task: 'no.such.task', every: '1s' },
      { name: 'b-bad-input', task: 'debug.fail', input: { message: 42 }, every: '1s' },
    ]
    // Written past validation, as an older version or a removed task leaves them in the store.
    for (const entry of broken) {
      const full = { ...entry, timezone: 'UTC', enabled: true, catchUp: 'skip' as const, noOverlap: false }
      await store.putSchedule({
        entry: { input: {}, ...full },
        state: { ...EMPTY_STATE, nextRunAt: T0 + 1_000 },
        source: 'store',
      })
    }
    await service.create({ name: 'c-good', task: 'debug.noop', every: '1s' })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    expect(await fired()).toBe(1)
    const unknown = (await service.get('a-unknown')).state
    expect(unknown.lastOutcome).toMatch(/^failed: .*unknown task 'no.such.task'/)
    expect(unknown.nextRunAt).toBe(T0 + 2_000)
    expect((await service.get('b-bad-input')).state.lastOutcome).toMatch(/^failed: .*message/)
    clock.advance(1_000)
    await b.tick()
    expect(await fired()).toBe(2)
  })
})
