import { afterAll, describe, expect, test } from 'bun:test'
import { Redis } from 'ioredis'
import { EventLog, type EventRecord } from '../../src/brokers/redis/event-log.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { REDIS_URL, testPrefix } from './redis-support.ts'

const redis = new Redis(REDIS_URL)
const keys: string[] = []
afterAll(async () => {
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

const event = (taskId: string, at: number): EventRecord => ({
  type: 'task:enqueued',
  at,
  taskId,
  task: 'debug.noop',
  queue: 'default',
  data: '{}',
})

/** Writes each batch as its own stream entry (one XADD per flush). */
async function write(log: EventLog, batches: EventRecord[][]): Promise<void> {
  for (const batch of batches) {
    log.append(batch)
    await log.flush()
  }
}

describe('redis task history', () => {
  test('a read examines a bounded number of stream entries, even for an id that gives no start', async () => {
    const key = `${testPrefix('history')}:events`
    keys.push(key)
    // historyScan caps the entries one history read examines.
    const log = new EventLog(redis, key, silentLogger, { historyScan: 30 })
    await write(log, [
      [event('client-id-1', 1)],
      ...Array.from({ length: 40 }, (_, i) => [event(`other-${i}`, 2 + i)]),
    ])
    await write(log, [[event('client-id-1', 100)]])
    const found = await log.forTask('client-id-1')
    // The first event is within the bound; the one 41 entries later is past it.
    expect(found.map((e) => e.at)).toEqual([1])
  })

  test('within the bound every event of the task is found, in order', async () => {
    const key = `${testPrefix('history')}:events`
    keys.push(key)
    const log = new EventLog(redis, key, silentLogger)
    await write(log, [[event('a', 1)], [event('b', 2)], [event('a', 3), event('b', 4)], [event('a', 5)]])
    expect((await log.forTask('a')).map((e) => e.at)).toEqual([1, 3, 5])
  })
})
