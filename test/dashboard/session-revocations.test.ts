import { afterAll, describe, expect, test } from 'bun:test'
import type { ScheduleStore } from '../../src/brokers/broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { FakeClock } from '../../src/core/clock.ts'
import type { Session } from '../../src/dashboard/session/session-codec.ts'
import { createSessionRevocations } from '../../src/dashboard/session/session-revocations.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'
import { makeBroker } from '../worker/helpers.ts'

const prefixes: string[] = []
afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
})

const T0 = 1_700_000_000_000
const session = (id: string): Session => ({ id, principalKey: 't_abc', expiresAt: T0 + 60_000 })

const engines: [string, (clock: FakeClock) => ScheduleStore & { close(): Promise<void> }][] = [
  ['sqlite', (clock) => makeBroker(clock)],
  [
    'redis',
    (clock) => {
      const prefix = testPrefix('sessions')
      prefixes.push(prefix)
      return createRedisBroker({ url: REDIS_URL, clock, prefix })
    },
  ],
]

describe.each(engines)('ended dashboard sessions on %s', (engine, make) => {
  test('a session is live until revoked, then ended; checking it never blocks the revocation', async () => {
    const clock = new FakeClock(T0)
    const store = make(clock)
    try {
      const revocations = createSessionRevocations(store, clock)
      const mine = session(`a-${engine}`)
      expect(await revocations.isRevoked(mine)).toBe(false)
      expect(await revocations.isRevoked(mine)).toBe(false)
      await revocations.revoke(mine)
      expect(await revocations.isRevoked(mine)).toBe(true)
      expect(await revocations.isRevoked(session(`b-${engine}`))).toBe(false)
      clock.advance(30_000)
      expect(await revocations.isRevoked(mine)).toBe(true)
    } finally {
      if (engine === 'redis') await store.close()
    }
  })
})
