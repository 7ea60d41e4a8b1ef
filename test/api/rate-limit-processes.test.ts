import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RunningCeleriac } from '../cli/celeriac-process.ts'

/**
 * Two `celeriac api` processes on one Redis, one token with a limit of 6 per minute: the bucket
 * lives in the broker, so the limit is the token's across both, not 6 per process.
 */
const TOKEN = 'rate-limited-token-0123456789'
const dir = mkdtempSync(join(tmpdir(), 'celeriac-rate-'))
const prefix = `rate-test-${process.pid}-${Date.now()}`
const apis: RunningCeleriac[] = []
const bases: string[] = []

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const api = new RunningCeleriac(['api', '--port', '0'], {
      cwd: dir,
      env: {
        CELERIAC_BROKER_URL: `redis://127.0.0.1:6379/0?prefix=${prefix}`,
        CELERIAC_API_TOKENS: `${TOKEN}:read+submit`,
        CELERIAC_API_RATE_LIMIT: '6/m',
      },
    })
    apis.push(api)
    await api.waitForLog(/api listening on http:\/\/[^:]+:\d+/, 20_000)
    bases.push(`http://127.0.0.1:${/api listening on http:\/\/[^:]+:(\d+)/.exec(api.stderr)?.[1]}`)
  }
}, 40_000)

afterAll(async () => {
  for (const api of apis) expect(await api.stop()).toBe(0)
  // Clean up this file's keys through Redis itself (never FLUSHDB: other tests share the server).
  const redis = new Bun.RedisClient('redis://127.0.0.1:6379/0')
  const keys = (await redis.send('KEYS', [`*${prefix}*`])) as string[]
  if (keys.length > 0) await redis.send('DEL', keys)
  redis.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('per-token rate limit across api processes on Redis', () => {
  test('six requests pass in total, alternating between the two processes; the seventh gets 429 from either', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${bases[i % 2]}/api/v1/tasks/debug.noop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      statuses.push(res.status)
      if (res.status === 429) retryAfter = res.headers.get('retry-after')
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  }, 30_000)
})
