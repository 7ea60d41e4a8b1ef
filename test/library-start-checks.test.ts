import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createCeleriac } from '../src/index.ts'
import { type RedisServerProcess, startRedisServer } from './brokers/redis-server-process.ts'

/** The library runs the start-up checks the binary runs: one evicting Redis, two ways to open it. */
let server: RedisServerProcess

beforeAll(async () => {
  server = await startRedisServer(['--maxmemory-policy', 'allkeys-lru'])
}, 20_000)
afterAll(async () => {
  await server.stop()
})

describe('createCeleriac on a Redis that may evict tasks', () => {
  test('refuses the first enqueue, with the message the binary gives, and stores nothing', async () => {
    const app = createCeleriac({ broker: `${server.url}?prefix=lib-evict` })
    try {
      await expect(app.enqueue('debug.noop', {})).rejects.toThrow(
        'maxmemory-policy must be noeviction (got allkeys-lru)',
      )
      expect(await app.broker.queueStats()).toEqual([])
    } finally {
      await app.close()
    }
  })

  test('starts when eviction is allowed, as --allow-eviction does', async () => {
    const app = createCeleriac({
      broker: `${server.url}?prefix=lib-evict-ok`,
      config: { allowEviction: true },
    })
    try {
      const handle = await app.enqueue('debug.noop', {})
      expect(handle.created).toBe(true)
      expect(app.broker.unsafeConfig).toBe(true)
    } finally {
      await app.close()
    }
  })
})
