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

const event = (taskId: string): EventRecord => ({
  type: 'task:enqueued',
  at: 1_000,
  taskId,
  task: 'debug.noop',
  queue: 'default',
  data: '{}',
})

/** An event log on its own stream, with a monotonic clock the test moves. */
function eventLog() {
  const key = `${testPrefix('ride-along')}:events`
  keys.push(key)
  const clock = { ms: 0 }
  const log = new EventLog(redis, key, silentLogger, { monotonicNow: () => clock.ms })
  // The log writes on the same connection, so this reads after any XADD it sent before.
  const entries = () => redis.xlen(key)
  return { log, clock, entries }
}

describe('redis event log: events ride along with operations', () => {
  test('events younger than a millisecond wait; older ones leave with the next operation', async () => {
    const { log, clock, entries } = eventLog()
    log.append([event('a')])
    clock.ms = 0.5
    log.sendWithNext()
    log.append([event('b')])
    expect(await entries()).toBe(0)
    clock.ms = 1
    log.sendWithNext()
    // Both events, in one entry: one XADD for the two operations.
    expect(await entries()).toBe(1)
    const history = await log.read(null, 10)
    expect(history.map((e) => e.taskId)).toEqual(['a', 'b'])
    await log.flush()
  })

  test('events no operation carries are written by the timer', async () => {
    const { log, entries } = eventLog()
    log.append([event('c')])
    log.sendWithNext()
    expect(await entries()).toBe(0)
    // The clock the test holds never moves: only the flush timer can write them.
    for (let i = 0; i < 200 && (await entries()) === 0; i++) await Bun.sleep(5)
    expect(await entries()).toBe(1)
  })
})
