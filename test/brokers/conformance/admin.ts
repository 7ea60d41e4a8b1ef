import { describe, expect, test } from 'bun:test'
import type { TaskErrorInfo } from '../../../src/core/result.ts'
import { type MakeBroker, useHarness } from './harness.ts'

const boom: TaskErrorInfo = { type: 'Error', message: 'boom', stack: null, code: null }

export function describeAdmin(make: MakeBroker): void {
  describe('inspection and operator actions', () => {
    const h = useHarness(make)

    test('lists tasks newest first, filtered by state, name, queue, time and text', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const a = await h().add(q, { task: 'mail.send', input: { to: 'ada@example.com' } })
      clock.advance(1_000)
      const b = await h().add(q, { task: 'image.resize', input: { width: 640 } })
      clock.advance(1_000)
      const c = await h().add(q, { task: 'mail.send', input: { to: 'bob@example.com' } })
      const ids = async (query: object) =>
        (await broker.listTasks({ queue: q, ...query })).tasks.map((t) => t.id)
      expect(await ids({})).toEqual([c, b, a])
      expect(await ids({ name: 'mail.send' })).toEqual([c, a])
      expect(await ids({ text: 'resize' })).toEqual([b])
      expect(await ids({ text: 'ada@' })).toEqual([a])
      expect(await ids({ since: clock.now() - 1_000, until: clock.now() - 1_000 })).toEqual([b])
      await h().ack(await h().reserveOne(q))
      expect(await ids({ state: 'SUCCESS' })).toEqual([a])
      expect(await ids({ state: 'PENDING' })).toEqual([c, b])
      expect(await ids({ queue: h().queue('empty') })).toEqual([])
    })

    test('pages through tasks with an opaque cursor', async () => {
      const q = h().queue()
      const added: string[] = []
      for (let i = 0; i < 5; i++) added.push(await h().add(q))
      const seen: string[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 10; pages++) {
        const page = await h().broker.listTasks({ queue: q, limit: 2, cursor })
        seen.push(...page.tasks.map((t) => t.id))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      expect(seen).toEqual(added.reverse())
    })

    test('a search that examines its scan budget without filling the page returns what it found, truncated, with a cursor that continues', async () => {
      const q = h().queue()
      const batch = Array.from({ length: 1_200 }, (_, i) =>
        h().message(q, { input: i % 100 === 7 ? { note: `needle ${i}` } : { note: `hay ${i}` } }),
      )
      await h().broker.enqueue(batch)
      const wanted = batch.filter((_, i) => i % 100 === 7).map((m) => m.id)
      const seen: string[] = []
      const pages: { size: number; truncated: boolean }[] = []
      let cursor: string | undefined
      for (let n = 0; n < 100; n++) {
        const page = await h().broker.listTasks({
          queue: q,
          text: 'needle',
          limit: 50,
          scanBudget: 300,
          cursor,
        })
        seen.push(...page.tasks.map((t) => t.id))
        pages.push({ size: page.tasks.length, truncated: page.truncated })
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      expect(new Set(seen)).toEqual(new Set(wanted))
      expect(seen).toHaveLength(wanted.length)
      // 1,200 tasks at ~300 examined per page: the search takes several bounded pages, not one.
      expect(pages.filter((p) => p.truncated).length).toBeGreaterThanOrEqual(2)
      expect(pages.at(-1)?.truncated).toBe(false)
    })

    test('a budgeted search across queues returns every match once, newest first, whatever the page splits', async () => {
      const [a, b] = [h().queue('a'), h().queue('b')]
      const start = h().clock.now()
      const batch = Array.from({ length: 600 }, (_, i) =>
        h().message(i % 3 === 0 ? a : b, {
          createdAt: start + i,
          input: { note: i % 37 === 0 ? `needle ${i}` : `hay ${i}` },
        }),
      )
      await h().broker.enqueue(batch)
      const expected = batch
        .filter((_, i) => i % 37 === 0)
        .map((m) => m.id)
        .reverse()
      const seen: string[] = []
      let cursor: string | undefined
      for (let n = 0; n < 100; n++) {
        const page = await h().broker.listTasks({ text: 'needle', limit: 3, scanBudget: 300, cursor })
        seen.push(...page.tasks.map((t) => t.id))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      expect(seen).toEqual(expected)
    })

    test('a full page is not truncated and its cursor continues after its last task', async () => {
      const q = h().queue()
      for (let i = 0; i < 3; i++) await h().add(q)
      const page = await h().broker.listTasks({ queue: q, limit: 2, scanBudget: 300 })
      expect(page.tasks).toHaveLength(2)
      expect(page.truncated).toBe(false)
      expect(page.nextCursor).not.toBeNull()
    })

    test('reports waiting, delayed, active and dead counts and the oldest wait per queue', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      for (let i = 0; i < 3; i++) await h().add(q)
      await h().add(q, { eta: clock.now() + 60_000 })
      const [running, doomed] = await h().reserve(q, 2)
      if (!running || !doomed) throw new Error('expected two leases')
      await broker.settle([{ kind: 'fail', lease: doomed, error: boom, reason: 'max_retries', runtimeMs: 1 }])
      clock.advance(2_000)
      const stats = (await broker.queueStats()).find((s) => s.queue === q)
      expect(stats).toEqual({ queue: q, waiting: 1, delayed: 1, active: 1, dead: 1, oldestAgeMs: 2_000 })
    })

    test('lists dead letters and requeues one with fresh counters', async () => {
      const q = h().queue()
      const { broker } = h()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await broker.settle([{ kind: 'fail', lease, error: boom, reason: 'unrecoverable', runtimeMs: 1 }])
      expect((await broker.listDead(q)).map((t) => t.deadReason)).toEqual(['unrecoverable'])
      expect(await broker.requeueDead(lease.id)).toBe(true)
      expect(await broker.listDead(q)).toEqual([])
      expect(await broker.getResult(lease.id)).toMatchObject({
        state: 'PENDING',
        attempts: 0,
        retries: 0,
        error: null,
      })
      expect(await h().reserveOne(q)).toMatchObject({
        id: lease.id,
        attempt: 1,
        retries: 0,
        redelivered: false,
      })
    })

    test('requeues a dead task even if it was revoked while it ran', async () => {
      const q = h().queue()
      const { broker } = h()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await broker.revoke(lease.id)
      await broker.settle([{ kind: 'fail', lease, error: boom, reason: 'unrecoverable', runtimeMs: 1 }])
      expect(await broker.requeueDead(lease.id)).toBe(true)
      expect((await h().reserveOne(q)).id).toBe(lease.id)
    })

    test('refuses to requeue a task that is not dead', async () => {
      const q = h().queue()
      const id = await h().add(q)
      expect(await h().broker.requeueDead(id)).toBe(false)
      expect(await h().broker.requeueDead('no-such-task')).toBe(false)
    })

    test('purges waiting and delayed tasks of one queue, leaving running tasks and other queues', async () => {
      const q = h().queue()
      const other = h().queue('other')
      await h().add(q)
      await h().add(q)
      await h().add(q, { eta: h().clock.now() + 60_000 })
      const keep = await h().add(other)
      const running = await h().reserveOne(q)
      expect(await h().broker.purge(q)).toBe(2)
      expect(await h().reserve(q)).toHaveLength(0)
      expect(await h().ack(running)).toBe('ok')
      expect((await h().reserveOne(other)).id).toBe(keep)
    })
  })
}
