import { describe, expect, test } from 'bun:test'
import type { TaskErrorInfo } from '../../../src/core/result.ts'
import { LEASE_MS, type MakeBroker, useHarness } from './harness.ts'

const DAY = 24 * 3600 * 1000
const boom: TaskErrorInfo = { type: 'Error', message: 'boom', stack: null, code: null }

export function describeSettle(make: MakeBroker): void {
  describe('settle', () => {
    const h = useHarness(make)

    test('records SUCCESS with the result, the runtime and a result expiry', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      const now = h().clock.now()
      expect(await h().ack(lease, { total: 3 })).toBe('ok')
      const result = await h().broker.getResult(lease.id)
      expect(result).toMatchObject({ state: 'SUCCESS', result: { total: 3 }, runtimeMs: 5, finishedAt: now })
      expect(result?.expiresAt).toBeGreaterThan(now)
    })

    test("keeps a result for the task's own resultExpires, not the broker default", async () => {
      const q = h().queue()
      await h().add(q, { resultExpires: 90_000 })
      const lease = await h().reserveOne(q)
      const now = h().clock.now()
      await h().ack(lease, 'short-lived')
      expect((await h().broker.getResult(lease.id))?.expiresAt).toBe(now + 90_000)
      h().clock.set(now + 90_000)
      expect(await h().broker.getResult(lease.id)).toBeNull()
    })

    test('stores the state but not the value of an ignore-result task', async () => {
      const q = h().queue()
      await h().add(q, { ignoreResult: true })
      const lease = await h().reserveOne(q)
      await h().ack(lease, 'big value')
      expect(await h().broker.getResult(lease.id)).toMatchObject({ state: 'SUCCESS', result: null })
    })

    test('schedules a retry at the given time, keeping the error until a later attempt succeeds', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      await h().add(q)
      const lease = await h().reserveOne(q)
      const at = clock.now() + 5_000
      expect(await broker.settle([{ kind: 'retry', lease, at, error: boom }])).toEqual(['ok'])
      expect(await broker.getResult(lease.id)).toMatchObject({ state: 'RETRY', retries: 1, error: boom })
      expect(await h().reserve(q)).toHaveLength(0)
      clock.advance(5_000)
      const second = await h().reserveOne(q)
      expect(second).toMatchObject({ id: lease.id, attempt: 2, retries: 1 })
      await h().ack(second, 'fine')
      expect(await broker.getResult(lease.id)).toMatchObject({
        state: 'SUCCESS',
        result: 'fine',
        error: null,
      })
    })

    test('records FAILURE with the error and the dead reason, making a dead letter', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      const outcome = await h().broker.settle([
        { kind: 'fail', lease, error: boom, reason: 'max_retries', runtimeMs: 7 },
      ])
      expect(outcome).toEqual(['ok'])
      const result = await h().broker.getResult(lease.id)
      expect(result).toMatchObject({ state: 'FAILURE', error: boom, deadReason: 'max_retries', runtimeMs: 7 })
      expect((await h().broker.listDead(q)).map((t) => t.id)).toEqual([lease.id])
    })

    test('records REVOKED when the worker settles a task as revoked', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      expect(await h().broker.settle([{ kind: 'revoked', lease, reason: 'revoked' }])).toEqual(['ok'])
      expect((await h().broker.getResult(lease.id))?.state).toBe('REVOKED')
    })

    test('releases a task back to its queue at once, not counting an attempt that never started', async () => {
      const q = h().queue()
      await h().add(q)
      const first = await h().reserveOne(q)
      expect(await h().broker.settle([{ kind: 'release', lease: first, started: false }])).toEqual(['ok'])
      expect((await h().broker.getResult(first.id))?.state).toBe('PENDING')
      const second = await h().reserveOne(q)
      expect(second.attempt).toBe(1)
      await h().broker.settle([{ kind: 'release', lease: second, started: true }])
      expect((await h().reserveOne(q)).attempt).toBe(2)
    })

    test('never overwrites a SUCCESS', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().ack(lease, 1)
      const again = await h().broker.settle([
        { kind: 'fail', lease, error: boom, reason: 'unrecoverable', runtimeMs: 1 },
        { kind: 'retry', lease, at: 0, error: boom },
        { kind: 'ack', lease, result: 2, runtimeMs: 1 },
      ])
      // The same lease settling again is recognised as its own earlier write, and changes nothing.
      expect(again).toEqual(['already_settled', 'already_settled', 'already_settled'])
      expect(await h().broker.getResult(lease.id)).toMatchObject({ state: 'SUCCESS', result: 1 })
    })

    test('recognises a settle resent with the same lease (its first reply was lost) as already done, not lease lost', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      const ack = { kind: 'ack', lease, result: { n: 1 }, runtimeMs: 5 } as const
      expect(await h().broker.settle([ack])).toEqual(['ok'])
      // The worker saw the first call time out, although it was saved, and sends it again.
      expect(await h().broker.settle([ack])).toEqual(['already_settled'])
      expect(await h().broker.getResult(lease.id)).toMatchObject({ state: 'SUCCESS', result: { n: 1 } })
      const succeeded = (await h().events()).filter(
        (e) => e.type === 'task:succeeded' && e.taskId === lease.id,
      )
      expect(succeeded.length).toBeGreaterThanOrEqual(1)

      const other = await h().add(q)
      const failing = await h().reserveOne(q)
      expect(failing.id).toBe(other)
      const fail = {
        kind: 'fail',
        lease: failing,
        error: boom,
        reason: 'unrecoverable',
        runtimeMs: 1,
      } as const
      expect(await h().broker.settle([fail, fail])).toEqual(['ok', 'already_settled'])
    })

    test('still reports lease lost to a lease whose task another worker has reserved since', async () => {
      const q = h().queue()
      await h().add(q)
      const first = await h().reserveOne(q)
      h().clock.advance(LEASE_MS + 1)
      await h().broker.recoverExpired(3)
      const second = await h().reserveOne(q, 'other-worker')
      expect(await h().ack(first, 'late')).toBe('lease_lost')
      expect(await h().ack(second, 'fine')).toBe('ok')
      expect(await h().ack(first, 'late')).toBe('lease_lost')
      expect(await h().broker.getResult(first.id)).toMatchObject({ state: 'SUCCESS', result: 'fine' })
    })

    test('settles a whole batch at once and reports each outcome in order', async () => {
      const q = h().queue()
      for (let i = 0; i < 3; i++) await h().add(q)
      const [a, b, c] = await h().reserve(q, 3)
      if (!a || !b || !c) throw new Error('expected three leases')
      const outcomes = await h().broker.settle([
        { kind: 'ack', lease: a, result: 'a', runtimeMs: 1 },
        { kind: 'ack', lease: { ...b, token: 'stale' }, result: 'b', runtimeMs: 1 },
        { kind: 'fail', lease: c, error: boom, reason: 'unrecoverable', runtimeMs: null },
      ])
      expect(outcomes).toEqual(['ok', 'lease_lost', 'ok'])
      expect((await h().broker.getResult(b.id))?.state).toBe('RECEIVED')
    })

    test('marks a running task STARTED and then PROGRESS with its meta', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      expect(await h().broker.setState(lease, 'STARTED')).toBe('ok')
      expect(await h().broker.getResult(lease.id)).toMatchObject({
        state: 'STARTED',
        startedAt: h().clock.now(),
      })
      expect(await h().broker.setState(lease, 'PROGRESS', { done: 5, total: 10 })).toBe('ok')
      expect(await h().broker.getResult(lease.id)).toMatchObject({
        state: 'PROGRESS',
        meta: { done: 5, total: 10 },
      })
      await h().ack(lease)
      expect(await h().broker.getResult(lease.id)).toMatchObject({
        state: 'SUCCESS',
        meta: { done: 5, total: 10 },
      })
    })

    test('refuses a state change from a lease that no longer holds the task', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      expect(await h().broker.setState({ ...lease, token: 'stale' }, 'STARTED')).toBe('lease_lost')
      await h().ack(lease)
      expect(await h().broker.setState(lease, 'PROGRESS', 1)).toBe('lease_lost')
    })

    test('keeps a dead letter past the result expiry of successes', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.settle([{ kind: 'fail', lease, error: boom, reason: 'max_retries', runtimeMs: 1 }])
      h().clock.advance(DAY + 1)
      expect((await h().broker.getResult(lease.id))?.state).toBe('FAILURE')
    })
  })
}
