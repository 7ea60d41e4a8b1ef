import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { createBroker } from '../../src/brokers/create-broker.ts'
import { Client } from '../../src/client/client.ts'
import { systemClock } from '../../src/core/clock.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { defineTask } from '../../src/core/task.ts'
import { RunningCeleriac } from '../cli/celeriac-process.ts'

/**
 * Two tenants share one queue: a big one with 20,000 tasks queued first and a small one with 50
 * queued after, served by four worker processes. With a per-tenant concurrency of 5 the small
 * tenant's tasks finish within a bound set by that concurrency, not after the big backlog, and no
 * tenant ever runs more than 5 at once. Each task counts itself in and out in Redis, where the
 * test samples the peak.
 */
const BIG = 20_000
const SMALL = 50
const PER_KEY = 5
const WORKERS = 4
const dir = mkdtempSync(join(tmpdir(), 'celeriac-tenants-'))
const tag = `tenants-${process.pid}-${Date.now()}`
const redis = new Bun.RedisClient('redis://127.0.0.1:6379/0')

// What the workers load (-A): the same definition the test enqueues with, plus the counting.
const TASKS = `
import { defineTask, z } from 'celeriac'
const redis = new Bun.RedisClient('redis://127.0.0.1:6379/0')
const COUNT = "local n = redis.call('INCR', KEYS[1]) if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end return n"
export const work = defineTask({
  name: 'tenant.work',
  input: z.object({ tenant: z.string(), run: z.string() }),
  concurrencyKey: (input) => input.tenant,
  concurrency: ${PER_KEY},
  run: async ({ tenant, run }) => {
    await redis.send('EVAL', [COUNT, '2', run + ':running:' + tenant, run + ':peak:' + tenant])
    await Bun.sleep(10)
    await redis.send('DECR', [run + ':running:' + tenant])
    await redis.send('RPUSH', [run + ':finished', tenant])
  },
})
`
writeFileSync(join(dir, 'tenants.ts'), TASKS)

const work = defineTask({
  name: 'tenant.work',
  input: z.object({ tenant: z.string(), run: z.string() }),
  concurrencyKey: (input) => input.tenant,
  concurrency: PER_KEY,
  run: () => undefined,
})

afterAll(async () => {
  const keys = (await redis.send('KEYS', [`*${tag}*`])) as string[]
  for (let i = 0; i < keys.length; i += 1000) await redis.send('DEL', keys.slice(i, i + 1000))
  redis.close()
  rmSync(dir, { recursive: true, force: true })
})

const ENGINES = {
  redis: `redis://127.0.0.1:6379/0?prefix=${tag}-redis`,
  sqlite: `sqlite://${join(dir, 'tenants.db')}`,
}

describe('fair sharing between tenants, four worker processes', () => {
  for (const [engine, url] of Object.entries(ENGINES)) {
    test(`${engine}: the small tenant finishes while the big one has barely started; 5 per tenant at most`, async () => {
      const run = `${tag}-${engine}`
      const broker = createBroker(url, { clock: systemClock })
      const client = new Client({ broker, registry: new TaskRegistry([work]) })
      const big = Array.from({ length: BIG }, () => ({ task: work, input: { tenant: 'big', run } }))
      for (let i = 0; i < BIG; i += 5_000) await client.enqueueMany(big.slice(i, i + 5_000))
      const workers = Array.from(
        { length: WORKERS },
        () =>
          new RunningCeleriac(['worker', '-A', './tenants.ts', '-c', '10'], {
            cwd: dir,
            env: { CELERIAC_BROKER_URL: url },
          }),
      )
      try {
        await Promise.all(workers.map((w) => w.waitForLog(/worker online/, 20_000)))
        // The big backlog is under way before the small tenant's tasks arrive.
        const finished = () => redis.send('LRANGE', [`${run}:finished`, '0', '-1']) as Promise<string[]>
        while ((await finished()).length < 20) await Bun.sleep(20)
        await client.enqueueMany(
          Array.from({ length: SMALL }, () => ({ task: work, input: { tenant: 'small', run } })),
        )
        let order: string[] = []
        for (let waited = 0; waited < 60_000; waited += 50) {
          order = await finished()
          if (order.filter((t) => t === 'small').length === SMALL) break
          await Bun.sleep(50)
        }
        const lastSmall = order.lastIndexOf('small')
        const firstSmall = order.indexOf('small')
        const bigMeanwhile = order.slice(firstSmall, lastSmall).filter((t) => t === 'big').length
        expect(order.filter((t) => t === 'small')).toHaveLength(SMALL)
        // Both tenants hold 5 slots, so while the small tenant's 50 run about as many big ones
        // do; twice that, plus one round of every worker's slots, bounds it (not 20,000).
        expect(bigMeanwhile).toBeLessThanOrEqual(2 * SMALL + WORKERS * 10)
        expect(order.filter((t) => t === 'big').length).toBeLessThan(BIG / 4)
        const peak = async (tenant: string) => Number(await redis.send('GET', [`${run}:peak:${tenant}`]))
        expect(await peak('big')).toBe(PER_KEY)
        expect(await peak('small')).toBeLessThanOrEqual(PER_KEY)
      } finally {
        for (const w of workers) await w.stop()
        await broker.purge('default')
        await broker.close()
      }
    }, 120_000)
  }
})
