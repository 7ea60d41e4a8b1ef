import { afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskQuery } from '../../src/brokers/broker.ts'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { withCeleryTasks } from '../../src/brokers/with-celery-tasks.ts'
import { encodeEventMessage } from '../../src/celery/celery-event.ts'
import { CeleryMonitor } from '../../src/celery/celery-monitor.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { rawMessage } from './raw-message.ts'

const files: string[] = []
afterEach(() => {
  for (const file of files.splice(0))
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
})

const T0 = Date.UTC(2026, 0, 1)

function event(body: Record<string, unknown>): string {
  return encodeEventMessage({ hostname: 'celery@py', ...body }, 'task.multi', 'tag')
}

/** Ours at even seconds, Python's at odd ones and some at the same second, so the two interleave. */
async function setup() {
  const clock = new FakeClock(T0 + 60_000)
  const path = join(tmpdir(), `celeriac-merge-${process.pid}-${Bun.randomUUIDv7()}.db`)
  files.push(path)
  const engine = createSqliteBroker({ path, clock })
  const ours = Array.from({ length: 7 }, (_, i) =>
    rawMessage('default', T0 + i * 2_000, { task: 'ours.job' }),
  )
  await engine.enqueue(ours)
  const monitor = new CeleryMonitor({ maxTasks: 100, ttlMs: 3_600_000 })
  const theirs = Array.from({ length: 8 }, (_, i) => `py-${i}`)
  theirs.forEach((uuid, i) => {
    const at = (T0 + (i < 6 ? i * 2_000 + 1_000 : (i - 6) * 2_000)) / 1000
    monitor.record(
      event({ type: 'task-received', uuid, name: 'py.job', args: `(${i},)`, timestamp: at }),
      clock.now(),
    )
  })
  monitor.record(
    event({ type: 'task-succeeded', uuid: 'py-1', result: '1', runtime: 0.5, timestamp: T0 / 1000 + 4 }),
    clock.now(),
  )
  const admin = withCeleryTasks(engine, monitor, clock)
  return { engine, admin, clock, ids: [...ours.map((m) => m.id), ...theirs] }
}

async function pageThrough(
  list: (q: TaskQuery) => Promise<{ tasks: { id: string }[]; nextCursor: string | null }>,
  q: TaskQuery,
) {
  const seen: string[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 50; pages++) {
    const page = await list({ ...q, ...(cursor && { cursor }) })
    seen.push(...page.tasks.map((t) => t.id))
    if (page.nextCursor === null) return seen
    cursor = page.nextCursor
  }
  throw new Error('no end after 50 pages')
}

describe('withCeleryTasks: Python tasks merged into the task lists', () => {
  test('pages through ours and Python tasks in one newest-first order, each once, at any page size', async () => {
    const { engine, admin, ids } = await setup()
    const all = await pageThrough((q) => admin.listTasks(q), { limit: 1_000 })
    expect(all.length).toBe(ids.length)
    expect(new Set(all)).toEqual(new Set(ids))
    for (const limit of [1, 2, 3, 5])
      expect(await pageThrough((q) => admin.listTasks(q), { limit })).toEqual(all)
    const created = (await admin.listTasks({ limit: 1_000 })).tasks.map((t) => t.createdAt)
    expect(created).toEqual([...created].sort((a, b) => b - a))
    await engine.close()
  })

  test('filters apply to Python tasks as to ours: state, name, text and time', async () => {
    const { engine, admin } = await setup()
    const succeeded = await admin.listTasks({ state: 'SUCCESS' })
    expect(succeeded.tasks.map((t) => [t.id, t.result, t.runtimeMs])).toEqual([['py-1', '1', 500]])
    expect((await pageThrough((q) => admin.listTasks(q), { name: 'py.job', limit: 2 })).length).toBe(8)
    expect((await admin.listTasks({ text: '(3,)' })).tasks.map((t) => t.id)).toEqual(['py-3'])
    const since = await admin.listTasks({ since: T0 + 9_000, limit: 100 })
    expect(since.tasks.every((t) => t.createdAt >= T0 + 9_000)).toBe(true)
    expect(since.tasks.map((t) => t.id)).toContain('py-4')
    await engine.close()
  })

  test('a cursor that is not ours is a validation error, not a crash', async () => {
    const { engine, admin } = await setup()
    await expect(admin.listTasks({ cursor: 'bm9wZQ' })).rejects.toThrow(/invalid cursor/)
    await engine.close()
  })

  test("Python workers join the engine's workers, and go offline and away with their silence", async () => {
    const { engine, clock } = await setup()
    const monitor = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    const merged = withCeleryTasks(engine, monitor, clock)
    const beat = (type: string) =>
      event({
        type,
        pid: 41,
        freq: 2,
        active: 1,
        processed: 9,
        sw_ident: 'py-celery',
        sw_ver: '5.2.6',
        timestamp: clock.now() / 1000,
      })
    monitor.record(beat('worker-online'), clock.now())
    monitor.record(
      encodeEventMessage(
        {
          type: 'worker-heartbeat',
          hostname: 'celeriac@x',
          sw_ident: 'celeriac',
          timestamp: clock.now() / 1000,
        },
        'worker.heartbeat',
        't',
      ),
      clock.now(),
    )
    const [w] = await merged.listWorkers(10_000)
    expect(w).toMatchObject({
      name: 'celery@py',
      host: 'py',
      pid: 41,
      processed: 9,
      version: 'py-celery 5.2.6',
      online: true,
    })
    expect((await merged.listWorkers(10_000)).length).toBe(1)
    clock.advance(20_000)
    expect((await merged.listWorkers(10_000))[0]?.online).toBe(false)
    expect(await merged.pruneWorkers(15_000)).toBe(1)
    expect(await merged.listWorkers(10_000)).toEqual([])
    await engine.close()
  })
})
