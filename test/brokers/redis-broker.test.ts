import { afterAll } from 'bun:test'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { describeBroker } from './conformance.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'
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

describeScheduleStore('redis', async (clock) => {
  const prefix = testPrefix('sched')
  prefixes.push(prefix)
  return createRedisBroker({ url: REDIS_URL, clock, prefix })
})
