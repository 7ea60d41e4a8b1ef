import { describe, expect, test } from 'bun:test'
import { type MakeBroker, unique, useHarness } from './harness.ts'

/** Large enough to hold every revocation other tests on a shared server left behind. */
const ALL = 100_000

export function describeRevocations(make: MakeBroker): void {
  describe('revocations (inspect revoked)', () => {
    const h = useHarness(make)

    test('lists revoked ids, a queued task and one never seen, newest first with their time', async () => {
      const { broker, clock } = h()
      const queued = await h().add(h().queue())
      await broker.revoke(queued)
      const revokedQueuedAt = clock.now()
      clock.advance(1_000)
      const unseen = unique('never-enqueued')
      await broker.revoke(unseen, { terminate: true })
      const listed = await broker.listRevoked(ALL)
      const mine = listed.filter((r) => r.id === queued || r.id === unseen)
      expect(mine).toEqual([
        { id: unseen, at: revokedQueuedAt + 1_000 },
        { id: queued, at: revokedQueuedAt },
      ])
    })

    test('returns at most `limit` entries', async () => {
      const { broker } = h()
      await broker.revoke(unique('limit-a'))
      await broker.revoke(unique('limit-b'))
      expect((await broker.listRevoked(1)).length).toBe(1)
    })

    test('forgets the revocation of a dead task put back on its queue', async () => {
      const { broker } = h()
      const q = h().queue()
      const id = await h().add(q)
      const lease = await h().reserveOne(q)
      await broker.revoke(id)
      const error = { type: 'Error', message: 'boom', stack: null, code: null }
      await broker.settle([{ kind: 'fail', lease, error, reason: 'unrecoverable', runtimeMs: 1 }])
      expect((await broker.listRevoked(ALL)).map((r) => r.id)).toContain(id)
      expect(await broker.requeueDead(id)).toBe(true)
      expect((await broker.listRevoked(ALL)).map((r) => r.id)).not.toContain(id)
    })
  })
}
