import { afterAll, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import type { TaskMessage } from '../../src/core/message.ts'

const TASKS = 2_000
const PROCESSES = 4
const path = join(tmpdir(), `celeriac-mp-${process.pid}-${Bun.randomUUIDv7()}.db`)
const freshPath = join(tmpdir(), `celeriac-mp-fresh-${process.pid}-${Bun.randomUUIDv7()}.db`)
const script = join(import.meta.dir, '../fixtures/sqlite-drain-worker.ts')
const openScript = join(import.meta.dir, '../fixtures/sqlite-open-enqueue.ts')

afterAll(() => {
  for (const file of [path, freshPath]) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
  }
})

function message(queue: string): TaskMessage {
  return {
    v: 1,
    id: Bun.randomUUIDv7(),
    task: 'test.noop',
    input: {},
    queue,
    priority: 5,
    eta: null,
    expires: null,
    retry: { max: 0, backoff: 'fixed', delay: 0, maxDelay: 0, jitter: false },
    timeLimit: {},
    ignoreResult: false,
    idempotencyKey: null,
    parentId: null,
    rootId: null,
    headers: {},
    createdAt: Date.now(),
  }
}

async function run(args: string[]): Promise<string[]> {
  const proc = Bun.spawn([process.execPath, ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (code !== 0 || err.trim() !== '') throw new Error(`${args.join(' ')} exited ${code}: ${err}`)
  return out.split('\n').filter((line) => line !== '')
}

test('four processes draining one SQLite file ack every task exactly once and never claim one twice', async () => {
  const broker = createSqliteBroker({ path, clock: systemClock })
  const queue = 'multiprocess'
  const ids = Array.from({ length: TASKS }, () => message(queue))
  await broker.enqueue(ids)

  const names = Array.from({ length: PROCESSES }, (_, i) => `consumer-${i}`)
  const startAt = String(Date.now() + 1_500)
  const claims = await Promise.all(names.map((name) => run([script, path, queue, name, startAt])))

  const all = claims.flat()
  expect(all).toHaveLength(TASKS)
  expect(new Set(all).size).toBe(TASKS)
  expect(new Set(all)).toEqual(new Set(ids.map((m) => m.id)))
  for (const [i, name] of names.entries()) {
    for (const id of claims[i] ?? []) {
      const result = await broker.getResult(id)
      expect(result?.state).toBe('SUCCESS')
      expect(result?.result).toBe(name)
    }
  }
  // More than one process really took part, or the test proved nothing about contention.
  expect(claims.filter((c) => c.length > 0).length).toBeGreaterThan(1)
  await broker.close()
}, 60_000)

test('processes opening a brand-new file at the same moment migrate it once and lose nothing', async () => {
  const queue = 'fresh-open'
  await Promise.all(Array.from({ length: PROCESSES }, () => run([openScript, freshPath, queue, '25'])))
  const broker = createSqliteBroker({ path: freshPath, clock: systemClock })
  const stats = (await broker.queueStats()).find((s) => s.queue === queue)
  expect(stats?.waiting).toBe(PROCESSES * 25)
  await broker.close()
}, 60_000)
