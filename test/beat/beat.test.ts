import { afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Beat, LEADER_LOCK } from '../../src/beat/beat.ts'
import { ScheduleService } from '../../src/beat/schedule-service.ts'
import { createSqliteBroker, type SqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { ValidationError } from '../../src/core/errors.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'

const T0 = Date.UTC(2026, 5, 1, 10, 0, 0)
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function setup() {
  const clock = new FakeClock(T0)
  const path = join(tmpdir(), `celeriac-beat-${process.pid}-${Bun.randomUUIDv7()}.db`)
  const store = createSqliteBroker({ path, clock })
  cleanups.push(() => {
    store.close()
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true })
  })
  const registry = createBuiltinRegistry()
  const client = new Client({ broker: store, registry, clock })
  const service = new ScheduleService({ store, registry, client, clock, defaultTimezone: 'UTC' })
  const beat = () =>
    new Beat({ store, client, clock, log: silentLogger, tickMs: 1_000, lockTtlMs: 5_000, graceMs: 1_500 })
  return { clock, store, service, beat }
}

async function firedTasks(store: SqliteBroker): Promise<number> {
  return (await store.listTasks({ name: 'debug.noop', limit: 1000 })).tasks.length
}

describe('beat', () => {
  test('two beats on one store enqueue each fire time exactly once, and only the leader fires', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const [a, b] = [beat(), beat()]
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000)
      await a.tick()
      await b.tick()
    }
    expect(a.isLeader).toBe(true)
    expect(b.isLeader).toBe(false)
    expect(await firedTasks(store)).toBe(10)
    expect((await service.get('tick')).state).toMatchObject({ totalRuns: 10, lastRunAt: T0 + 10_000 })
  })

  test('a standby takes over within the lease TTL when the leader dies, doubling nothing', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const [leader, standby] = [beat(), beat()]
    clock.advance(1_000)
    await leader.tick()
    await standby.tick()
    // The leader is killed (-9): it never ticks or releases again.
    for (let i = 0; i < 4; i++) {
      clock.advance(1_000)
      await standby.tick()
    }
    expect(standby.isLeader).toBe(false)
    clock.advance(1_000) // the dead leader's 5 s lease has run out
    await standby.tick()
    expect(standby.isLeader).toBe(true)
    clock.advance(1_000)
    await standby.tick()
    // Fires due while nobody led are a handover, not an outage: the standby fires each of them.
    expect(await firedTasks(store)).toBe(7)
    expect((await service.get('tick')).state).toMatchObject({ totalRuns: 7, lastRunAt: T0 + 7_000 })
  })

  test('a beat whose lease was taken stops firing at once', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const a = beat()
    clock.advance(1_000)
    await a.tick()
    await store.releaseLock(LEADER_LOCK, a.token)
    expect(await store.acquireLock(LEADER_LOCK, 'someone-else', 60_000)).toBe(true)
    clock.advance(1_000)
    await a.tick()
    expect(a.isLeader).toBe(false)
    expect(await firedTasks(store)).toBe(1)
  })

  test('a restart causes no burst: missed fires are skipped by default', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '10s' })
    clock.advance(10_000)
    await beat().tick()
    clock.advance(60_000)
    await beat().tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('tick')).state.lastOutcome).toContain('skipped')
    clock.advance(10_000)
    await beat().tick()
    expect(await firedTasks(store)).toBe(2)
  })

  test('catchUp once fires a single time for everything missed', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '10s', catchUp: 'once' })
    clock.advance(65_000)
    await beat().tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('tick')).state.lastRunAt).toBe(T0 + 60_000)
  })

  test('noOverlap skips a fire while the previous run is still running', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'slow', task: 'debug.noop', every: '1s', noOverlap: true })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    await store.reserve({ queues: ['default'], max: 10, leaseMs: 60_000, worker: 'w' })
    clock.advance(1_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('slow')).state.lastOutcome).toBe('skipped: previous run still running')
  })

  test('an edit while beat runs takes effect at the next fire', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    await service.update('tick', { every: '1m' })
    expect((await service.get('tick')).nextFireTimes[0]).toBe(T0 + 60_000)
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000)
      await b.tick()
    }
    expect(await firedTasks(store)).toBe(1)
    await service.update('tick', { enabled: false })
    clock.set(T0 + 60_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(1)
  })

  test('enqueues one task per fire time even when a stale beat fires the same slot again', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const before = (await service.get('tick')).state
    // One beat for both ticks: a second Beat would not hold the leader lease and fire nothing.
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    await store.saveScheduleState('tick', before)
    await b.tick()
    expect(b.isLeader).toBe(true)
    expect(await firedTasks(store)).toBe(1)
  })

  test('refuses an unknown task or a bad cron, naming the field', async () => {
    const { service } = setup()
    const fields = async (input: unknown) => {
      try {
        await service.create(input)
        return []
      } catch (err) {
        return (err as ValidationError).issues.map((i) => `${i.path}: ${i.message}`)
      }
    }
    expect(await fields({ name: 'x', task: 'nope', every: '1m' })).toEqual([
      expect.stringMatching(/^task: unknown task 'nope'/),
    ])
    expect((await fields({ name: 'x', task: 'debug.noop', cron: '61 * * * *' }))[0]).toContain(
      'cron: invalid cron',
    )
    await expect(
      service.create({ name: 'bad name!', task: 'debug.noop', every: '1m' }),
    ).rejects.toBeInstanceOf(ValidationError)
  })
})
