import { describe, expect, test } from 'bun:test'
import type { TaskErrorInfo } from '../../../src/core/result.ts'
import { LEASE_MS, type MakeBroker, useHarness } from './harness.ts'

const boom: TaskErrorInfo = { type: 'Error', message: 'boom', stack: 'at somewhere', code: null }
/** What events carry of an error: never its stack. */
const boomSummary = { type: 'Error', message: 'boom' }
const WORKER_LOST = {
  type: 'WorkerLostError',
  message: 'worker lost: the lease expired too many times',
  stack: null,
  code: 'worker_lost',
}

function revokedError(reason: string) {
  return { type: 'TaskRevokedError', message: `task ${reason}`, stack: null, code: 'REVOKED' }
}

/**
 * What each outcome leaves behind, to the field: stored errors, event data, fencing of every
 * settlement kind. Found missing by mutation testing (bench/mutation.ts).
 */
export function describeRecords(make: MakeBroker): void {
  describe('what each outcome records', () => {
    const h = useHarness(make)

    test('answers an empty batch with an empty list and leaves waiting tasks alone', async () => {
      const q = h().queue()
      const { broker, worker } = h()
      const id = await h().add(q)
      expect(await broker.settle([])).toEqual([])
      expect(await broker.extendLeases([], LEASE_MS)).toEqual([])
      expect(await broker.reserve({ queues: [q], max: 0, leaseMs: LEASE_MS, worker })).toEqual([])
      expect(await broker.reserve({ queues: [], max: 5, leaseMs: LEASE_MS, worker })).toEqual([])
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([id])
    })

    test('reserves a task whose expires is still ahead', async () => {
      const q = h().queue()
      const id = await h().add(q, { expires: h().clock.now() + 1_000 })
      h().clock.advance(999)
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([id])
    })

    test('refuses revoked and release settlements from a stale token, changing nothing', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      const stale = { ...lease, token: 'stale' }
      const outcomes = await h().broker.settle([
        { kind: 'revoked', lease: stale, reason: 'revoked' },
        { kind: 'release', lease: stale, started: false },
      ])
      expect(outcomes).toEqual(['lease_lost', 'lease_lost'])
      expect((await h().broker.getResult(lease.id))?.state).toBe('RECEIVED')
      const types = (await h().events()).filter((e) => e.taskId === lease.id).map((e) => e.type)
      expect(types).toEqual(['task:enqueued', 'task:received'])
      expect(await h().ack(lease)).toBe('ok')
    })

    test('records a failure without a runtime as runtime null', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.settle([
        { kind: 'fail', lease, error: boom, reason: 'unrecoverable', runtimeMs: null },
      ])
      expect(await h().broker.getResult(lease.id)).toMatchObject({ state: 'FAILURE', runtimeMs: null })
    })

    test('tells the worker of a task revoked without terminate that it may run to its end', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.revoke(lease.id)
      expect(await h().broker.extendLeases([lease], LEASE_MS)).toEqual([
        { id: lease.id, ok: true, revoked: { terminate: false } },
      ])
      // Revoked only when the worker settles it so: no event yet.
      expect((await h().events()).filter((e) => e.type === 'task:revoked')).toEqual([])
    })

    test('stores a TaskRevokedError naming why each task was revoked, with a matching event', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const waiting = await h().add(q)
      await broker.revoke(waiting)
      const early = h().message(q)
      await broker.revoke(early.id)
      await broker.enqueue([early])
      const stale = await h().add(q, { expires: clock.now() + 1_000 })
      clock.advance(1_000)
      expect(await h().reserve(q)).toEqual([])
      const running = h().queue('running')
      await h().add(running)
      const lease = await h().reserveOne(running)
      expect(await broker.settle([{ kind: 'revoked', lease, reason: 'terminated' }])).toEqual(['ok'])

      expect((await broker.getResult(waiting))?.error).toEqual(revokedError('revoked'))
      expect((await broker.getResult(early.id))?.error).toEqual(revokedError('revoked'))
      expect((await broker.getResult(stale))?.error).toEqual(revokedError('expired'))
      expect((await broker.getResult(lease.id))?.error).toEqual(revokedError('terminated'))
      const revoked = (await h().events()).filter((e) => e.type === 'task:revoked')
      expect(Object.fromEntries(revoked.map((e) => [e.taskId, e.data]))).toEqual({
        [waiting]: { reason: 'revoked' },
        [early.id]: { reason: 'revoked' },
        [stale]: { reason: 'expired' },
        [lease.id]: { reason: 'terminated' },
      })
    })

    test('gives each event of a task life the data a follower reads', async () => {
      const q = h().queue()
      const { broker, clock, worker } = h()
      const id = await h().add(q)
      const first = await h().reserveOne(q)
      await broker.setState(first, 'STARTED')
      await broker.setState(first, 'PROGRESS')
      await broker.setState(first, 'PROGRESS', { pct: 50 })
      const retryAt = clock.now() + 1_000
      await broker.settle([{ kind: 'retry', lease: first, at: retryAt, error: boom }])
      clock.advance(1_000)
      const second = await h().reserveOne(q)
      const releaseAt = clock.now() + 500
      await broker.settle([{ kind: 'release', lease: second, started: true, at: releaseAt }])
      clock.advance(500)
      const third = await h().reserveOne(q)
      await broker.settle([{ kind: 'fail', lease: third, error: boom, reason: 'max_retries', runtimeMs: 3 }])

      const events = (await h().events()).filter((e) => e.taskId === id && e.type !== 'task:enqueued')
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['task:received', { worker, attempt: 1 }],
        ['task:started', { attempt: 1 }],
        ['task:progress', { meta: null }],
        ['task:progress', { meta: { pct: 50 } }],
        ['task:retried', { at: retryAt, retries: 1, error: boomSummary }],
        ['task:received', { worker, attempt: 2 }],
        ['task:released', { started: true, at: releaseAt }],
        ['task:received', { worker, attempt: 3 }],
        ['task:failed', { reason: 'max_retries', error: boomSummary }],
      ])
    })

    test('records a task lost too often as a WorkerLostError, with recovered and failed events', async () => {
      const q = h().queue()
      const { broker, clock } = h()
      const id = await h().add(q)
      await h().reserveOne(q)
      clock.advance(LEASE_MS + 1)
      expect(await broker.recoverExpired(2)).toEqual({ requeued: [id], dead: [] })
      await h().reserveOne(q)
      clock.advance(LEASE_MS + 1)
      expect(await broker.recoverExpired(2)).toEqual({ requeued: [], dead: [id] })

      expect((await broker.getResult(id))?.error).toEqual(WORKER_LOST)
      const events = (await h().events()).filter(
        (e) => e.taskId === id && (e.type === 'task:recovered' || e.type === 'task:failed'),
      )
      expect(events.every((e) => e.task === 'test.echo' && e.queue === q)).toBe(true)
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['task:recovered', { redeliveries: 1, dead: false }],
        ['task:recovered', { redeliveries: 2, dead: true }],
        ['task:failed', { reason: 'worker_lost', error: WORKER_LOST }],
      ])
    })
  })
}
