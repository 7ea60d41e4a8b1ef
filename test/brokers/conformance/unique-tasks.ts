import { describe, expect, test } from 'bun:test'
import type { TaskErrorInfo } from '../../../src/core/result.ts'
import { type MakeBroker, useHarness } from './harness.ts'

const boom: TaskErrorInfo = { type: 'Error', message: 'boom', stack: null, code: null }

/** Unique tasks: a key held while its task is queued or running, or until its `until`. */
export function describeUniqueTasks(make: MakeBroker): void {
  describe('unique tasks', () => {
    const h = useHarness(make)
    const unique = (key: string, forMs = 0) => ({ key, until: h().clock.now() + forMs })

    test('while the first is queued, retrying or running, the same key answers its id; another task name does not match', async () => {
      const { broker } = h()
      const q = h().queue()
      const [first] = await broker.enqueue([h().message(q, { unique: unique('report-7') })])
      const again = () => broker.enqueue([h().message(q, { unique: unique('report-7') })])
      expect(await again()).toEqual([{ id: first?.id as string, created: false }])
      const other = await broker.enqueue([h().message(q, { task: 'other.task', unique: unique('report-7') })])
      expect(other[0]?.created).toBe(true)
      const lease = await h().reserveOne(q)
      expect(lease.id).toBe(first?.id as string)
      expect(await again()).toEqual([{ id: first?.id as string, created: false }])
      await broker.settle([{ kind: 'retry', lease, at: h().clock.now() + 1_000, error: boom }])
      expect(await again()).toEqual([{ id: first?.id as string, created: false }])
    })

    test('a finished task frees its key: SUCCESS, FAILURE and REVOKED each let the next enqueue create', async () => {
      const { broker } = h()
      const q = h().queue()
      const enqueue = async () => (await broker.enqueue([h().message(q, { unique: unique('k') })]))[0]
      const a = await enqueue()
      await h().ack(await h().reserveOne(q))
      const b = await enqueue()
      expect(b?.created).toBe(true)
      const lease = await h().reserveOne(q)
      await broker.settle([{ kind: 'fail', lease, error: boom, reason: 'unrecoverable', runtimeMs: 1 }])
      const c = await enqueue()
      expect(c?.created).toBe(true)
      await broker.revoke(c?.id as string, { terminate: false })
      const d = await enqueue()
      expect(d?.created).toBe(true)
      expect(new Set([a?.id, b?.id, c?.id, d?.id]).size).toBe(4)
    })

    test("holds past the task's end until its `for` has passed", async () => {
      const { broker, clock } = h()
      const q = h().queue()
      const [first] = await broker.enqueue([h().message(q, { unique: unique('digest', 60_000) })])
      await h().ack(await h().reserveOne(q))
      clock.advance(59_999)
      const held = await broker.enqueue([h().message(q, { unique: unique('digest', 60_000) })])
      expect(held).toEqual([{ id: first?.id as string, created: false }])
      clock.advance(1)
      const freed = await broker.enqueue([h().message(q, { unique: unique('digest', 60_000) })])
      expect(freed[0]?.created).toBe(true)
    })

    test('within one batch the second of two equal keys maps to the first', async () => {
      const { broker } = h()
      const q = h().queue()
      const batch = [h().message(q, { unique: unique('same') }), h().message(q, { unique: unique('same') })]
      expect(await broker.enqueue(batch)).toEqual([
        { id: batch[0]?.id as string, created: true },
        { id: batch[0]?.id as string, created: false },
      ])
      expect(await h().reserve(q, 10)).toHaveLength(1)
    })
  })
}
