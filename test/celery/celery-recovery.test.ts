import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Redis } from 'ioredis'
import type { RunningCeleriac } from '../cli/celeriac-process.ts'
import { celeryRedisUrl, flushDb, runPython, startCeleryWorker } from './celery-harness.ts'

const URL = celeryRedisUrl(12)
const COUNT = 30
const started: RunningCeleriac[] = []
let redis: Redis

beforeAll(async () => {
  await flushDb(URL)
  redis = new Redis(URL)
})

afterAll(async () => {
  for (const w of started) await w.stop('SIGKILL')
  redis.disconnect()
  await flushDb(URL)
})

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

describe('kill -9 of a Celeriac worker holding unacked Celery messages', () => {
  test('the messages come back through our recovery and each reaches one SUCCESS Python reads', async () => {
    // A short lease so the next worker restores the dead one's claims within seconds.
    const env = { CELERIAC_LEASE_MS: '2000' }
    const first = startCeleryWorker(URL, ['-c', '10'], env)
    started.push(first)
    await first.waitForLog(/worker online/, 20_000)
    const sent = await runPython<{ ids: string[] }>(
      URL,
      `
ids = [app.send_task('tasks.nap', args=[4000, i]).id for i in range(${COUNT})]
print(json.dumps({'ids': ids}))
`,
    )
    await waitFor(async () => (await redis.hlen('unacked')) >= 10, 20_000, 'ten unacked claims')
    first.proc.kill('SIGKILL')
    await first.proc.exited
    expect(await redis.hlen('unacked')).toBeGreaterThanOrEqual(10)

    const second = startCeleryWorker(URL, ['-c', '30'], env)
    started.push(second)
    await second.waitForLog(/worker online/, 20_000)
    const out = await runPython<{ values: number[]; states: string[] }>(
      URL,
      `
from celery.result import AsyncResult
ids = ${JSON.stringify(sent.ids)}
values = [AsyncResult(i, app=app).get(timeout=90) for i in ids]
states = [AsyncResult(i, app=app).state for i in ids]
print(json.dumps({'values': values, 'states': states}))
`,
      120_000,
    )
    expect(out.values).toEqual(Array.from({ length: COUNT }, (_, i) => i))
    expect(new Set(out.states)).toEqual(new Set(['SUCCESS']))
    expect(second.stderr).toContain('recovered tasks of lost workers')
    await waitFor(async () => (await redis.hlen('unacked')) === 0, 10_000, 'no claim left')
    expect(await redis.zcard('unacked_index')).toBe(0)
  }, 180_000)
})
