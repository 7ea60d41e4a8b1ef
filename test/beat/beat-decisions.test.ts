import { afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Beat, type BeatOptions, LEADER_LOCK } from '../../src/beat/beat.ts'
import { ScheduleService } from '../../src/beat/schedule-service.ts'
import type { Lease } from '../../src/brokers/broker.ts'
import { createSqliteBroker, type SqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { createLogger, silentLogger } from '../../src/core/logger.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'

// Beat's fire decisions that mutation testing (bench/mutation.ts) showed untested: the grace
// boundary and its default, the catch-up slot, one-offs, noOverlap's view of the previous run,
// lastOutcome, the options a fire carries, and start/stop.

const T0 = Date.UTC(2026, 5, 1, 10, 0, 0)
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function setup() {
  const clock = new FakeClock(T0)
  const path = join(tmpdir(), `celeriac-beat-decisions-${process.pid}-${Bun.randomUUIDv7()}.db`)
  const store = createSqliteBroker({ path, clock })
  cleanups.push(() => {
    store.close()
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true })
  })
  const registry = createBuiltinRegistry()
  const client = new Client({ broker: store, registry, clock })
  const service = new ScheduleService({ store, registry, client, clock, defaultTimezone: 'UTC' })
  const beat = (options: Partial<BeatOptions> = {}) =>
    new Beat({
      store,
      client,
      clock,
      log: silentLogger,
      tickMs: 1_000,
      lockTtlMs: 5_000,
      graceMs: 1_500,
      ...options,
    })
  return { clock, store, service, beat }
}

async function firedTasks(store: SqliteBroker): Promise<number> {
  return (await store.listTasks({ name: 'debug.noop', limit: 1000 })).tasks.length
}

/** A real logger writing JSON lines into memory; `seen(msg)` resolves with the first line of that message. */
function watchLog() {
  const lines: Record<string, unknown>[] = []
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = []
  const log = createLogger({
    json: true,
    level: 'debug',
    write: (text) => {
      const line = JSON.parse(text) as Record<string, unknown>
      lines.push(line)
      for (const w of waiters) if (w.msg === line.msg) w.resolve(line)
    },
  })
  const seen = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const line = lines.find((l) => l.msg === msg)
      if (line) resolve(line)
      else waiters.push({ msg, resolve })
    })
  return { log, seen }
}

async function reserveAll(store: SqliteBroker, queue = 'default'): Promise<Lease[]> {
  return store.reserve({ queues: [queue], max: 100, leaseMs: 60_000, worker: 'w' })
}

describe('beat fire decisions', () => {
  test('fires a slot noticed exactly graceMs late', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1m' })
    clock.advance(60_000 + 20_000)
    await beat({ graceMs: 20_000 }).tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('tick')).state).toMatchObject({ lastRunAt: T0 + 60_000, lastOutcome: 'sent' })
  })

  test('without graceMs, allows a handover of lateness (lease + two ticks) and skips beyond', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1m' })
    const b = beat({ tickMs: 2_000, graceMs: undefined })
    clock.advance(60_000 + 9_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(1)
    clock.set(T0 + 120_000 + 9_001)
    await b.tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('tick')).state.lastOutcome).toBe('skipped: missed while beat was down')
  })

  test('catchUp once fires the latest missed slot, including one that falls exactly on now', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '10s', catchUp: 'once' })
    clock.advance(60_000)
    await beat().tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('tick')).state).toMatchObject({
      lastRunAt: T0 + 60_000,
      nextRunAt: T0 + 70_000,
    })
  })

  test('catchUp once fires a missed one-off once, for its own time, and never again', async () => {
    const { clock, store, service, beat } = setup()
    const at = new Date(T0 + 5_000).toISOString()
    await service.create({ name: 'once', task: 'debug.noop', at, catchUp: 'once' })
    const b = beat()
    clock.advance(60_000)
    await b.tick()
    expect((await service.get('once')).state).toMatchObject({
      lastRunAt: T0 + 5_000,
      nextRunAt: null,
      totalRuns: 1,
    })
    clock.advance(60_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(1)
    expect((await service.get('once')).state).toMatchObject({ totalRuns: 1, lastOutcome: 'sent' })
  })

  test("fires with the entry's queue, priority and expiry, keyed by entry name and slot", async () => {
    const { clock, store, service, beat } = setup()
    await service.create({
      name: 'report',
      task: 'debug.noop',
      every: '1m',
      queue: 'reports',
      priority: 7,
      expires: 30_000,
    })
    clock.advance(60_000)
    await beat().tick()
    const [lease] = await reserveAll(store, 'reports')
    expect(lease?.message).toMatchObject({
      queue: 'reports',
      priority: 7,
      expires: T0 + 60_000 + 30_000,
      idempotencyKey: `beat:report:${new Date(T0 + 60_000).toISOString()}`,
    })
  })
})

describe('beat lastOutcome and noOverlap', () => {
  test("replaces 'sent' by the fired task's final state once it has one", async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1m' })
    const b = beat()
    clock.advance(60_000)
    await b.tick()
    const [lease] = await reserveAll(store)
    if (!lease) throw new Error('beat fired nothing')
    await b.tick()
    expect((await service.get('tick')).state.lastOutcome).toBe('sent')
    await store.settle([{ kind: 'ack', lease, result: null, runtimeMs: 1 }])
    await b.tick()
    expect((await service.get('tick')).state).toMatchObject({ lastOutcome: 'SUCCESS', lastTaskId: lease.id })
  })

  test('noOverlap fires again once the previous run has finished', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'slow', task: 'debug.noop', every: '1s', noOverlap: true })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    const [lease] = await reserveAll(store)
    if (!lease) throw new Error('beat fired nothing')
    await store.settle([{ kind: 'ack', lease, result: null, runtimeMs: 1 }])
    clock.advance(1_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(2)
  })

  test('noOverlap does not count a previous run still waiting in its queue (PENDING) as running', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'slow', task: 'debug.noop', every: '1s', noOverlap: true })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    clock.advance(1_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(2)
  })

  test('without noOverlap, fires while the previous run is still running', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    const b = beat()
    clock.advance(1_000)
    await b.tick()
    await reserveAll(store)
    clock.advance(1_000)
    await b.tick()
    expect(await firedTasks(store)).toBe(2)
  })
})

describe('beat start and stop', () => {
  test('a new beat is no leader before its first tick, and stopping one never started is fine', async () => {
    const { beat } = setup()
    const b = beat()
    expect(b.isLeader).toBe(false)
    await b.stop()
    expect(b.isLeader).toBe(false)
  })

  test('start looks at the entries at once; stop waits for that look and hands the lease to a standby', async () => {
    const { clock, store, service, beat } = setup()
    await service.create({ name: 'tick', task: 'debug.noop', every: '1s' })
    clock.advance(1_000)
    const { log, seen } = watchLog()
    const b = beat({ log })
    b.start()
    await seen('beat: leading, firing schedules')
    await b.stop()
    expect(await firedTasks(store)).toBe(1)
    expect(b.isLeader).toBe(false)
    const standby = beat()
    await standby.tick()
    expect(standby.isLeader).toBe(true)
    expect(await store.acquireLock(LEADER_LOCK, b.token, 5_000)).toBe(false)
  })

  test('logs a failing tick as an error', async () => {
    const { store, beat } = setup()
    const { log, seen } = watchLog()
    store.close()
    const b = beat({ log })
    b.start()
    const failure = await seen('beat tick failed')
    await b.stop()
    expect(failure).toMatchObject({ level: 'error', error: expect.stringContaining('Error') })
  })
})
