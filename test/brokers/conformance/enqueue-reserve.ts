import { describe, expect, test } from 'bun:test'
import { LEASE_MS, type MakeBroker, useHarness } from './harness.ts'

const HOUR = 3600 * 1000

export function describeEnqueueReserve(make: MakeBroker): void {
  describe('enqueue and reserve', () => {
    const h = useHarness(make)

    test('stores a batch atomically and reports every task as created and PENDING', async () => {
      const { broker } = h()
      const q = h().queue()
      const messages = [h().message(q), h().message(q), h().message(q)]
      const outcomes = await broker.enqueue(messages)
      expect(outcomes).toEqual(messages.map((m) => ({ id: m.id, created: true })))
      for (const m of messages) expect((await broker.getResult(m.id))?.state).toBe('PENDING')
    })

    test('returns the first task for a repeated idempotency key within the window, even within one batch', async () => {
      const { broker } = h()
      const q = h().queue()
      const [first] = await broker.enqueue([h().message(q, { idempotencyKey: 'k1' })], {
        idempotencyWindowMs: HOUR,
      })
      h().clock.advance(HOUR - 1)
      const again = await broker.enqueue([h().message(q, { idempotencyKey: 'k1' })], {
        idempotencyWindowMs: HOUR,
      })
      expect(again[0]).toEqual({ id: first?.id as string, created: false })
      const batch = [h().message(q, { idempotencyKey: 'k2' }), h().message(q, { idempotencyKey: 'k2' })]
      const outcomes = await broker.enqueue(batch)
      expect(outcomes).toEqual([
        { id: batch[0]?.id as string, created: true },
        { id: batch[0]?.id as string, created: false },
      ])
      expect(await h().reserve(q, 10)).toHaveLength(2)
    })

    test('keeps each task of a batch mixing plain tasks and tasks with options to its own options', async () => {
      const { broker } = h()
      const q = h().queue()
      const now = h().clock.now()
      const batch = [
        h().message(q),
        h().message(q, { idempotencyKey: 'mixed-1' }),
        h().message(q),
        h().message(q, { eta: now + HOUR }),
        h().message(q, { idempotencyKey: 'mixed-1' }),
        h().message(q, { priority: 9 }),
      ]
      const outcomes = await broker.enqueue(batch)
      const ids = batch.map((m) => m.id) as [string, string, string, string, string, string]
      const [plain, keyed, plain2, delayed, , urgent] = ids
      expect(outcomes.map((o) => [o.id, o.created])).toEqual([
        [plain, true],
        [keyed, true],
        [plain2, true],
        [delayed, true],
        [keyed, false],
        [urgent, true],
      ])
      const claimed = (await h().reserve(q, 10)).map((l) => l.message.id)
      // The delayed one waits; the priority-9 one comes first; the duplicate was never stored.
      expect(claimed).toEqual([urgent, plain, keyed, plain2])
      expect((await broker.getResult(delayed))?.state).toBe('PENDING')
    })

    test('creates a new task for an idempotency key once its window has passed', async () => {
      const { broker } = h()
      const q = h().queue()
      const [first] = await broker.enqueue([h().message(q, { idempotencyKey: 'k' })], {
        idempotencyWindowMs: HOUR,
      })
      h().clock.advance(HOUR)
      const [second] = await broker.enqueue([h().message(q, { idempotencyKey: 'k' })], {
        idempotencyWindowMs: HOUR,
      })
      expect(second?.created).toBe(true)
      expect(second?.id).not.toBe(first?.id)
    })

    test('scopes an idempotency key to its task name: the same key with another task makes a new task', async () => {
      const { broker } = h()
      const q = h().queue()
      const [noop] = await broker.enqueue([h().message(q, { task: 'debug.noop', idempotencyKey: 'order-7' })])
      const [email] = await broker.enqueue([
        h().message(q, { task: 'email.send', idempotencyKey: 'order-7' }),
      ])
      expect(email?.created).toBe(true)
      expect(email?.id).not.toBe(noop?.id)
      const [again] = await broker.enqueue([
        h().message(q, { task: 'email.send', idempotencyKey: 'order-7' }),
      ])
      expect(again).toEqual({ id: email?.id as string, created: false })
    })

    test('treats a resent message with a stored id as already enqueued', async () => {
      const { broker } = h()
      const q = h().queue()
      const m = h().message(q)
      await broker.enqueue([m])
      expect(await broker.enqueue([m])).toEqual([{ id: m.id, created: false }])
      expect(await h().reserve(q, 10)).toHaveLength(1)
    })

    test('records the worker, the attempt and the start time on the stored result when a task is claimed', async () => {
      const q = h().queue()
      const id = await h().add(q)
      h().clock.advance(250)
      const lease = await h().reserveOne(q)
      expect(lease.attempt).toBe(1)
      const stored = await h().broker.getResult(id)
      expect(stored).toMatchObject({
        state: 'RECEIVED',
        worker: h().worker,
        attempts: 1,
        startedAt: h().clock.now(),
      })
    })

    test('reserves the highest priority first and the oldest first within a priority', async () => {
      const q = h().queue()
      const low = await h().add(q, { priority: 0 })
      const midA = await h().add(q, { priority: 5 })
      h().clock.advance(1)
      const midB = await h().add(q, { priority: 5 })
      const high = await h().add(q, { priority: 9 })
      const leases = await h().reserve(q, 10)
      expect(leases.map((l) => l.id)).toEqual([high, midA, midB, low])
    })

    test('reserves at most max tasks and leaves the rest waiting', async () => {
      const q = h().queue()
      for (let i = 0; i < 5; i++) await h().add(q)
      expect(await h().reserve(q, 3)).toHaveLength(3)
      expect(await h().reserve(q, 3)).toHaveLength(2)
      expect(await h().reserve(q, 3)).toHaveLength(0)
    })

    test('takes from the queues in the order given', async () => {
      const first = h().queue('first')
      const second = h().queue('second')
      const b = await h().add(second, { priority: 9 })
      const a = await h().add(first, { priority: 0 })
      expect((await h().reserve([first, second], 1)).map((l) => l.id)).toEqual([a])
      expect((await h().reserve([first, second], 5)).map((l) => l.id)).toEqual([b])
    })

    test('does not reserve a delayed task until its eta', async () => {
      const q = h().queue()
      const { clock } = h()
      const id = await h().add(q, { eta: clock.now() + 10_000 })
      expect(await h().reserve(q)).toHaveLength(0)
      clock.advance(9_999)
      expect(await h().reserve(q)).toHaveLength(0)
      clock.advance(1)
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([id])
    })

    test('reserves a due task even while tasks of a higher priority are still delayed', async () => {
      const q = h().queue()
      const { clock } = h()
      const later = await h().add(q, { priority: 9, eta: clock.now() + 60_000 })
      const now = await h().add(q, { priority: 1 })
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([now])
      clock.advance(60_000)
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([later])
    })

    test('leases a task with a token, attempt 1, an expiry and the RECEIVED state under the worker name', async () => {
      const q = h().queue()
      const message = h().message(q, { input: { hello: 'world' } })
      await h().broker.enqueue([message])
      const lease = await h().reserveOne(q)
      expect(lease.token.length).toBeGreaterThan(0)
      expect(lease).toMatchObject({ id: message.id, attempt: 1, retries: 0, redelivered: false })
      expect(lease.expiresAt).toBe(h().clock.now() + LEASE_MS)
      expect(lease.message).toEqual(message)
      const result = await h().broker.getResult(message.id)
      expect(result).toMatchObject({
        state: 'RECEIVED',
        worker: h().worker,
        attempts: 1,
        input: { hello: 'world' },
      })
    })

    test('never hands a leased task to a second reservation', async () => {
      const q = h().queue()
      await h().add(q)
      await h().reserveOne(q, 'w1')
      expect(await h().reserve(q, 10, 'w2')).toHaveLength(0)
    })
  })
}
