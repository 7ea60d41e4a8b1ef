import { describe, expect, test } from 'bun:test'
import type { BrokerEvent } from '../../../src/brokers/broker.ts'
import { type MakeBroker, useHarness } from './harness.ts'

const DAY = 24 * 3600 * 1000

export function describeResultsAndEvents(make: MakeBroker): void {
  describe('results and events', () => {
    const h = useHarness(make)

    test('returns null for a task it never stored', async () => {
      expect(await h().broker.getResult('no-such-task')).toBeNull()
    })

    test('forgets a result once its expiry passes, before and after cleanup', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().ack(lease, 'done')
      const expiresAt = (await h().broker.getResult(lease.id))?.expiresAt as number
      h().clock.set(expiresAt - 1)
      expect((await h().broker.getResult(lease.id))?.result).toBe('done')
      h().clock.set(expiresAt)
      expect(await h().broker.getResult(lease.id)).toBeNull()
      const removed = await h().broker.cleanup(DAY * 365)
      expect(removed.results).toBeGreaterThanOrEqual(1)
      expect(await h().broker.getResult(lease.id)).toBeNull()
    })

    test('writes the events of a task life in order, each with a growing seq', async () => {
      const q = h().queue()
      const id = await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.setState(lease, 'STARTED')
      await h().broker.setState(lease, 'PROGRESS', { pct: 50 })
      await h().ack(lease)
      const events = (await h().events()).filter((e) => e.taskId === id)
      expect(events.map((e) => e.type)).toEqual([
        'task:enqueued',
        'task:received',
        'task:started',
        'task:progress',
        'task:succeeded',
      ])
      expect(events.every((e) => e.task === 'test.echo' && e.queue === q && e.at === h().clock.now())).toBe(
        true,
      )
      const seqs = events.map((e) => e.seq)
      expect(new Set(seqs).size).toBe(seqs.length)
      expect(await h().broker.taskEvents(id)).toEqual(events)
    })

    test('records retries, failures, releases, recoveries and requeues as events', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const id = await h().add(q)
      const error = { type: 'Error', message: 'x', stack: null }
      await broker.settle([{ kind: 'retry', lease: await h().reserveOne(q), at: clock.now(), error }])
      await broker.settle([{ kind: 'release', lease: await h().reserveOne(q), started: false }])
      await h().reserveOne(q)
      clock.advance(60_000)
      await broker.recoverExpired(5)
      const lease = await h().reserveOne(q)
      await broker.settle([{ kind: 'fail', lease, error, reason: 'max_retries', runtimeMs: 1 }])
      await broker.requeueDead(id)
      const types = (await h().events()).filter((e) => e.taskId === id).map((e) => e.type)
      expect(types.filter((t) => t !== 'task:received')).toEqual([
        'task:enqueued',
        'task:retried',
        'task:released',
        'task:recovered',
        'task:failed',
        'task:requeued',
      ])
    })

    test('reads events after a seq, up to a limit', async () => {
      const q = h().queue()
      for (let i = 0; i < 3; i++) await h().add(q)
      const mine = await h().events()
      const first = mine[0]?.seq as string
      const page = await h().broker.readEvents(first, 1)
      expect(page).toHaveLength(1)
      expect(page[0]?.seq).not.toBe(first)
      const all = await h().broker.readEvents(null, 100_000)
      const at = all.findIndex((e) => e.seq === first)
      expect(page[0]).toEqual(all[at + 1] as BrokerEvent)
    })

    test('cleanup deletes events older than the given age and keeps newer ones', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const old = await h().add(q)
      clock.advance(10_000)
      const recent = await h().add(q)
      await broker.cleanup(5_000)
      const ids = (await h().events()).map((e) => e.taskId)
      expect(ids).not.toContain(old)
      expect(ids).toContain(recent)
    })
  })
}
