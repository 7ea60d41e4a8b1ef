import { afterAll, expect, test } from 'bun:test'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { describeBroker } from './conformance.ts'
import { deleteKeys, REDIS_URL, testPrefix, withClient } from './redis-support.ts'
import { describeScheduleStore } from './schedule-store-conformance.ts'

const prefixes: string[] = []

afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
})

// A prefix per broker: each test sees only its own events, workers and queues.
describeBroker('redis', async (clock) => {
  const prefix = testPrefix('conf')
  prefixes.push(prefix)
  return createRedisBroker({ url: REDIS_URL, clock, prefix })
})

// The same engine on Bun's built-in client: it passes the same suite as ioredis.
describeBroker('redis (client=bun)', async (clock) => {
  const prefix = testPrefix('conf-bun')
  prefixes.push(prefix)
  return createRedisBroker({ url: withClient(REDIS_URL, 'bun'), clock, prefix })
})

describeScheduleStore('redis', async (clock) => {
  const prefix = testPrefix('sched')
  prefixes.push(prefix)
  return createRedisBroker({ url: REDIS_URL, clock, prefix })
})

test('reports the server persistence settings for maintenance.backup', async () => {
  const prefix = testPrefix('persist')
  prefixes.push(prefix)
  const broker = createRedisBroker({ url: REDIS_URL, clock: systemClock, prefix })
  try {
    const report = await broker.persistence()
    expect(report.engine).toBe('redis')
    expect(report.aof_enabled).toBeOneOf([0, 1])
    expect(typeof report.rdb_last_save_time).toBe('number')
  } finally {
    await broker.close()
  }
})
