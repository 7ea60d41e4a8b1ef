import { describe, expect, test } from 'bun:test'
import { revokedErrorInfo } from '../../../src/core/errors.ts'
import { LEASE_MS, type MakeBroker, useHarness } from './harness.ts'

export function describeLeases(make: MakeBroker): void {
  describe('leases, recovery and revocation', () => {
    const h = useHarness(make)

    test('renews a lease so that recovery leaves the running task alone', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      h().clock.advance(LEASE_MS - 1)
      expect(await h().broker.extendLeases([lease], LEASE_MS)).toEqual([
        { id: lease.id, ok: true, revoked: null },
      ])
      h().clock.advance(LEASE_MS - 1)
      expect(await h().broker.recoverExpired(3)).toEqual({ requeued: [], dead: [] })
      expect(await h().ack(lease)).toBe('ok')
    })

    test('re-queues a task whose lease expired and flags its next lease as redelivered', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      h().clock.advance(LEASE_MS + 1)
      expect(await h().broker.recoverExpired(3)).toEqual({ requeued: [lease.id], dead: [] })
      const again = await h().reserveOne(q)
      expect(again).toMatchObject({ id: lease.id, attempt: 2, redelivered: true })
      expect(again.token).not.toBe(lease.token)
    })

    test('fences out the old token once a recovered task is reserved again', async () => {
      const q = h().queue()
      await h().add(q)
      const old = await h().reserveOne(q, 'w-old')
      h().clock.advance(LEASE_MS + 1)
      await h().broker.recoverExpired(3)
      const fresh = await h().reserveOne(q, 'w-new')
      expect(await h().broker.extendLeases([old], LEASE_MS)).toEqual([
        { id: old.id, ok: false, revoked: null },
      ])
      expect(await h().ack(old, 'old')).toBe('lease_lost')
      expect(await h().broker.setState(old, 'STARTED')).toBe('lease_lost')
      expect(await h().ack(fresh, 'new')).toBe('ok')
      expect(await h().ack(old, 'old')).toBe('lease_lost')
      expect(await h().broker.getResult(old.id)).toMatchObject({
        state: 'SUCCESS',
        result: 'new',
        worker: 'w-new',
      })
    })

    test('sends a task lost too many times to the dead letters as worker_lost', async () => {
      const q = h().queue()
      await h().add(q)
      for (let i = 1; i < 3; i++) {
        await h().reserveOne(q)
        h().clock.advance(LEASE_MS + 1)
        expect((await h().broker.recoverExpired(3)).requeued).toHaveLength(1)
      }
      const last = await h().reserveOne(q)
      h().clock.advance(LEASE_MS + 1)
      expect(await h().broker.recoverExpired(3)).toEqual({ requeued: [], dead: [last.id] })
      const result = await h().broker.getResult(last.id)
      expect(result).toMatchObject({
        state: 'FAILURE',
        deadReason: 'worker_lost',
        error: { type: 'WorkerLostError' },
      })
      expect(await h().reserve(q)).toHaveLength(0)
    })

    test('revokes a waiting task at once so it never runs', async () => {
      const q = h().queue()
      const id = await h().add(q)
      await h().broker.revoke(id)
      expect(await h().broker.getResult(id)).toMatchObject({
        state: 'REVOKED',
        error: revokedErrorInfo('revoked'),
      })
      expect(await h().reserve(q)).toHaveLength(0)
    })

    test('lets a revoked running task run on and reports the revocation through extendLeases', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.revoke(lease.id, { terminate: true })
      expect((await h().broker.getResult(lease.id))?.state).toBe('RECEIVED')
      const [outcome] = await h().broker.extendLeases([lease], LEASE_MS)
      expect(outcome).toEqual({ id: lease.id, ok: true, revoked: { terminate: true } })
      expect(await h().broker.settle([{ kind: 'revoked', lease, reason: 'terminated' }])).toEqual(['ok'])
      expect(await h().broker.getResult(lease.id)).toMatchObject({
        state: 'REVOKED',
        error: revokedErrorInfo('terminated'),
      })
    })

    test('does not run a revoked task that a retry sent back to its queue', async () => {
      const q = h().queue()
      await h().add(q)
      const lease = await h().reserveOne(q)
      await h().broker.revoke(lease.id)
      const error = { type: 'Error', message: 'x', stack: null }
      await h().broker.settle([{ kind: 'retry', lease, at: h().clock.now(), error }])
      expect(await h().reserve(q)).toHaveLength(0)
      expect((await h().broker.getResult(lease.id))?.state).toBe('REVOKED')
    })

    test('refuses at reserve a task revoked before it was enqueued', async () => {
      const q = h().queue()
      const message = h().message(q)
      await h().broker.revoke(message.id)
      await h().broker.enqueue([message])
      expect(await h().reserve(q)).toHaveLength(0)
      expect((await h().broker.getResult(message.id))?.state).toBe('REVOKED')
    })

    test('finalises a task past its expires as REVOKED at reserve instead of returning it', async () => {
      const q = h().queue()
      const { clock } = h()
      const stale = await h().add(q, { expires: clock.now() + 1_000, priority: 9 })
      const fine = await h().add(q)
      clock.advance(1_000)
      expect((await h().reserve(q)).map((l) => l.id)).toEqual([fine])
      expect(await h().broker.getResult(stale)).toMatchObject({
        state: 'REVOKED',
        error: revokedErrorInfo('expired'),
      })
      const revoked = (await h().events()).filter((e) => e.type === 'task:revoked')
      expect(revoked.map((e) => e.taskId)).toEqual([stale])
    })
  })
}
