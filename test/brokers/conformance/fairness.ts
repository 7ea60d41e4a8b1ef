import { describe, expect, test } from 'bun:test'
import type { Lease } from '../../../src/brokers/broker.ts'
import type { TaskErrorInfo } from '../../../src/core/result.ts'
import { type MakeBroker, useHarness } from './harness.ts'

const boom: TaskErrorInfo = { type: 'Error', message: 'boom', stack: null, code: null }

export function describeFairness(make: MakeBroker): void {
  describe('fair sharing: per-key concurrency', () => {
    const h = useHarness(make)
    const shared = (key: string | null, limit: number) => ({ task: 'tenant.work', group: { key, limit } })

    /** Enqueues `n` tasks of one key in one batch, as a big tenant's backlog arrives. */
    async function backlog(q: string, key: string, n: number, limit: number): Promise<string[]> {
      const messages = Array.from({ length: n }, () => h().message(q, shared(key, limit)))
      const outcomes = await h().broker.enqueue(messages)
      return outcomes.map((o) => o.id)
    }

    const keyOf = (l: Lease) => l.message.group?.key

    test('no more than the limit of one key is handed out, across any number of reserves', async () => {
      const q = h().queue()
      await backlog(q, 'big', 10, 3)
      const first = await h().reserve(q, 10, 'w1')
      const second = await h().reserve(q, 10, 'w2')
      expect(first.length + second.length).toBe(3)
      const stats = async () => (await h().broker.queueStats()).find((s) => s.queue === q)
      expect(await stats()).toMatchObject({ waiting: 7, active: 3 })
      // A task ending lets the next of its key in (still waiting, now reservable), and only it.
      await h().ack(first[0] ?? (second[0] as Lease))
      expect(await stats()).toMatchObject({ waiting: 7, active: 2 })
      expect(await h().reserve(q, 10)).toHaveLength(1)
      expect(await stats()).toMatchObject({ waiting: 6, active: 3 })
    })

    test('a key at its limit does not hold back another key queued after it', async () => {
      const q = h().queue()
      await backlog(q, 'big', 50, 2)
      const small = await backlog(q, 'small', 3, 2)
      const leases = await h().reserve(q, 10)
      expect(leases.filter((l) => keyOf(l) === 'big')).toHaveLength(2)
      expect(leases.filter((l) => keyOf(l) === 'small').map((l) => l.id)).toEqual(small.slice(0, 2))
    })

    test('a finished task gives its slot to the next of its key, queued behind the keys already waiting', async () => {
      const q = h().queue()
      const big = await backlog(q, 'big', 5, 1)
      const [firstBig] = await h().reserve(q, 1)
      expect(firstBig?.id).toBe(big[0])
      h().clock.advance(10)
      const small = await backlog(q, 'small', 1, 1)
      h().clock.advance(10)
      await h().ack(firstBig as Lease)
      // Big's next task was admitted after small's was queued: small goes first (keys take turns).
      const next = await h().reserve(q, 2)
      expect(next.map((l) => l.id)).toEqual([small[0] as string, big[1] as string])
    })

    test('every way a task ends frees its slot: fail, revoke at reserve, revoke while queued, worker lost', async () => {
      const q = h().queue()
      const { broker } = h()
      const ids = await backlog(q, 'k', 5, 1)
      const a = await h().reserveOne(q)
      await broker.settle([{ kind: 'fail', lease: a, error: boom, reason: 'unrecoverable', runtimeMs: 1 }])
      const b = await h().reserveOne(q)
      expect(b.id).toBe(ids[1] as string)
      // Revoking one waiting in line takes it out of line; revoking the admitted one frees its slot.
      await broker.revoke(ids[2] as string)
      await broker.settle([{ kind: 'revoked', lease: b, reason: 'revoked' }])
      const c = await h().reserveOne(q)
      expect(c.id).toBe(ids[3] as string)
      // A lease that expires too often ends as worker_lost: its slot goes to the next.
      h().clock.advance(60_000)
      await broker.recoverExpired(1)
      const d = await h().reserveOne(q)
      expect(d.id).toBe(ids[4] as string)
      expect((await broker.getResult(ids[2] as string))?.state).toBe('REVOKED')
    })

    test('a retry gives the slot back for its backoff and asks again when due', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const ids = await backlog(q, 'k', 2, 1)
      const first = await h().reserveOne(q)
      await broker.settle([{ kind: 'retry', lease: first, at: clock.now() + 1_000, error: boom }])
      const second = await h().reserveOne(q)
      expect(second.id).toBe(ids[1] as string)
      clock.advance(2_000)
      // Due again, but the key's one slot is taken: it waits until the slot is free.
      expect(await h().reserve(q, 5)).toHaveLength(0)
      await h().ack(second)
      const again = await h().reserveOne(q)
      expect(again.id).toBe(ids[0] as string)
      expect(again.retries).toBe(1)
    })

    test('a delayed task asks for a slot only when due; a requeued dead letter asks again', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      await h().add(q, { ...shared('k', 1), eta: clock.now() + 5_000 })
      const now = await h().add(q, shared('k', 1))
      const running = await h().reserveOne(q)
      expect(running.id).toBe(now)
      clock.advance(6_000)
      expect(await h().reserve(q, 5)).toHaveLength(0)
      await broker.settle([
        { kind: 'fail', lease: running, error: boom, reason: 'unrecoverable', runtimeMs: 1 },
      ])
      const later = await h().reserveOne(q)
      expect(later.id).not.toBe(now)
      expect(await broker.requeueDead(now)).toBe(true)
      expect(await h().reserve(q, 5)).toHaveLength(0)
      await h().ack(later)
      expect((await h().reserveOne(q)).id).toBe(now)
    })

    test('without a key the limit holds for the task as a whole; purge empties the lines', async () => {
      const q = h().queue()
      const { broker } = h()
      await backlog(q, 'a', 3, 2)
      await h().broker.enqueue(Array.from({ length: 4 }, () => h().message(q, shared(null, 2))))
      const leases = await h().reserve(q, 10)
      expect(leases.filter((l) => keyOf(l) === null)).toHaveLength(2)
      expect(leases.filter((l) => keyOf(l) === 'a')).toHaveLength(2)
      await broker.purge(q)
      for (const l of leases) await h().ack(l)
      expect(await h().reserve(q, 10)).toHaveLength(0)
      expect((await broker.queueStats()).find((s) => s.queue === q)?.waiting ?? 0).toBe(0)
    })

    test('a released lease keeps its slot; unshared tasks are untouched', async () => {
      const q = h().queue()
      const { broker } = h()
      await backlog(q, 'k', 2, 1)
      const plain = await h().add(q)
      const leases = await h().reserve(q, 10)
      expect(leases).toHaveLength(2)
      const shared1 = leases.find((l) => l.id !== plain) as Lease
      await broker.settle([{ kind: 'release', lease: shared1, started: false }])
      const again = await h().reserve(q, 10)
      expect(again.map((l) => l.id)).toEqual([shared1.id])
    })
  })
}
