import { describe, expect, test } from 'bun:test'
import { type MakeBroker, unique, useHarness } from './harness.ts'

export function describeRatesAndPing(make: MakeBroker): void {
  describe('rate limits, delayed release and ping', () => {
    const h = useHarness(make)

    test('grants a burst up to the bucket size, then says how long until the next token', async () => {
      const key = unique('rate')
      const limit = { count: 3, perMs: 1_000 }
      const waits = []
      for (let i = 0; i < 4; i++) waits.push(await h().broker.acquireRate(key, limit))
      expect(waits.slice(0, 3)).toEqual([0, 0, 0])
      expect(waits[3]).toBeGreaterThan(0)
      expect(waits[3]).toBeLessThanOrEqual(334)
    })

    test('refills the bucket with time, never above its size', async () => {
      const key = unique('rate')
      const limit = { count: 2, perMs: 1_000 }
      await h().broker.acquireRate(key, limit)
      await h().broker.acquireRate(key, limit)
      h().clock.advance(500)
      expect(await h().broker.acquireRate(key, limit)).toBe(0)
      expect(await h().broker.acquireRate(key, limit)).toBeGreaterThan(0)
      h().clock.advance(60_000)
      const burst = []
      for (let i = 0; i < 3; i++) burst.push(await h().broker.acquireRate(key, limit))
      expect(burst.map((w) => w === 0)).toEqual([true, true, false])
    })

    test('keeps separate buckets per key', async () => {
      const limit = { count: 1, perMs: 60_000 }
      const [a, b] = [unique('rate'), unique('rate')]
      expect(await h().broker.acquireRate(a, limit)).toBe(0)
      expect(await h().broker.acquireRate(b, limit)).toBe(0)
      expect(await h().broker.acquireRate(a, limit)).toBeGreaterThan(0)
    })

    test('releases a task to a later time without counting an attempt or a retry', async () => {
      const q = h().queue()
      const id = await h().add(q)
      const lease = await h().reserveOne(q)
      const at = h().clock.now() + 2_000
      expect(await h().broker.settle([{ kind: 'release', lease, started: false, at }])).toEqual(['ok'])
      expect(await h().reserve(q)).toHaveLength(0)
      h().clock.advance(2_000)
      expect(await h().reserveOne(q)).toMatchObject({ id, attempt: 1, retries: 0 })
    })

    test('answers a ping while reachable and writable', async () => {
      await expect(h().broker.ping()).resolves.toBeUndefined()
    })
  })
}
