import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { type Celeriac, createCeleriac, defineTask, ValidationError } from '../../src/index.ts'
import { makeApi } from '../api/api-harness.ts'
import { runInProcess } from '../cli/run-cli-in-process.ts'

/** Unique tasks from the library and the API (every engine's part is in the broker conformance suite). */
const dirs: string[] = []
const apps: Celeriac[] = []

function app(): Celeriac {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-unique-'))
  dirs.push(dir)
  const created = createCeleriac({ broker: `sqlite://${join(dir, 'q.db')}` })
  apps.push(created)
  return created
}

afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const rebuild = defineTask({
  name: 'shop.rebuild_index',
  input: z.object({ shop: z.number().int() }),
  unique: { key: ({ shop }) => `shop-${shop}`, for: '10m' },
  run: async ({ shop }) => ({ shop }),
})

describe('unique tasks', () => {
  test("the task's rule: a second enqueue for the same key answers the first id until it ran and its 10 minutes passed", async () => {
    const celeriac = app()
    const bound = celeriac.task(rebuild)
    const first = await bound.enqueue({ shop: 1 })
    const again = await bound.enqueue({ shop: 1 })
    expect({ id: again.id, created: again.created }).toEqual({ id: first.id, created: false })
    const other = await bound.enqueue({ shop: 2 })
    expect(other.created).toBe(true)
    const worker = celeriac.worker({ concurrency: 2 })
    await worker.start()
    try {
      await first.wait({ timeout: 10_000 })
      // Finished, but within its 10 minutes: still the first.
      expect((await bound.enqueue({ shop: 1 })).id).toBe(first.id)
      // A per-call key wins over the task's rule.
      const own = await bound.enqueue({ shop: 1 }, { unique: { key: 'manual' } })
      expect(own.created).toBe(true)
      await own.wait({ timeout: 10_000 })
      expect((await bound.enqueue({ shop: 1 }, { unique: { key: 'manual' } })).created).toBe(true)
    } finally {
      await worker.stop()
    }
  })

  test('a key function that throws or returns a non-string is a ValidationError naming unique.key', async () => {
    const celeriac = app()
    const broken = celeriac.defineTask({
      name: 'shop.broken_key',
      input: z.object({ shop: z.number() }),
      unique: { key: ({ shop }) => (shop > 0 ? (undefined as unknown as string) : `${JSON.parse('{')}`) },
      run: async () => null,
    })
    for (const shop of [1, -1]) {
      const err = await broken.enqueue({ shop }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ValidationError)
      expect(String((err as Error).message)).toContain('unique.key')
    }
    expect(() =>
      defineTask({ name: 'x.y', input: z.object({}), unique: { key: 'k' as never }, run: async () => null }),
    ).toThrow(/unique\.key/)
    expect(() =>
      defineTask({
        name: 'x.y',
        input: z.object({}),
        unique: { key: () => 'k', for: '10 min' },
        run: async () => null,
      }),
    ).toThrow(/unique\.for/)
  })

  test('the API: options.unique in the envelope and Celeriac-Unique-Key on the by-name route; a bad key names the field', async () => {
    const api = makeApi()
    const envelope = {
      task: 'debug.sleep',
      input: { ms: 1 },
      options: { unique: { key: 'nightly', for: 60_000 } },
    }
    const first = await (await api.post('/api/v1/tasks', envelope)).json()
    const second = await api.post('/api/v1/tasks', envelope)
    expect(second.status).toBe(200)
    expect(await second.json()).toMatchObject({ task_id: first.task_id, created: false })
    const headers = { 'celeriac-unique-key': 'nightly', 'celeriac-unique-for': '60000' }
    const byName = await (await api.post('/api/v1/tasks/debug.sleep', { ms: 1 }, { headers })).json()
    expect(byName).toMatchObject({ task_id: first.task_id, created: false })
    const bad = await api.post(
      '/api/v1/tasks/debug.sleep',
      { ms: 1 },
      { headers: { 'celeriac-unique-for': '5' } },
    )
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('unique.key')
  })
})

describe('celeriac call --unique-key', () => {
  test('prints the first id with created false while it is queued; --unique-for alone is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-unique-cli-'))
    dirs.push(dir)
    const env = { CELERIAC_BROKER_URL: `sqlite://${join(dir, 'q.db')}` }
    // Client commands never create a database: a role would have made it.
    createSqliteBroker({ path: join(dir, 'q.db'), clock: systemClock }).close()
    const call = (...extra: string[]) =>
      runInProcess(['call', 'debug.sleep', '--input', '{"ms":1}', '--json', ...extra], env)
    const first = JSON.parse((await call('--unique-key', 'k1', '--unique-for', '1000')).stdout)
    const second = JSON.parse((await call('--unique-key', 'k1')).stdout)
    expect(second).toEqual({ id: first.id, created: false })
    const usage = await call('--unique-for', '1000')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--unique-for')
  })
})
