import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import type { ReserveRequest } from '../../src/brokers/broker.ts'
import { createRedisBroker, type RedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import { rawMessage } from './raw-message.ts'
import { deleteKeys, REDIS_URL, testPrefix, withClient } from './redis-support.ts'

const prefixes: string[] = []
const brokers: RedisBroker[] = []

afterEach(async () => {
  for (const broker of brokers.splice(0)) await broker.close()
})
afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
})

function open(client: 'ioredis' | 'bun'): RedisBroker {
  const prefix = testPrefix('reserve-wait')
  prefixes.push(prefix)
  const broker = createRedisBroker({ url: withClient(REDIS_URL, client), clock: systemClock, prefix })
  brokers.push(broker)
  return broker
}

const message = (queue: string, eta: number | null = null): TaskMessage =>
  rawMessage(queue, systemClock.now(), { eta })

const request = (queue: string, waitMs: number): ReserveRequest => ({
  queues: [queue],
  max: 1,
  leaseMs: 30_000,
  worker: 'w-wait',
  waitMs,
})

describe.each(['ioredis', 'bun'] as const)('redis reserve with waitMs (client=%s)', (client) => {
  test('returns a task enqueued while it waits', async () => {
    const broker = open(client)
    const m = message('q-enqueued')
    // One connection keeps issue order: the first claim runs before this enqueue, finds nothing
    // and parks; the enqueue's wake-up token ends the wait.
    const waiting = broker.reserve(request(m.queue, 10_000))
    await broker.enqueue([m])
    expect((await waiting).map((l) => l.id)).toEqual([m.id])
  })

  test('the woken wait brings its task back itself: the claim rides the wait connection, not a second round trip', async () => {
    const broker = open(client)
    const m = message('q-one-trip')
    // A first wait opens the connections (Bun names a connection right after its first commands).
    await broker.reserve({ ...request(m.queue, 20), worker: 'w-one-trip' })
    const waiting = broker.reserve({ ...request(m.queue, 10_000), worker: 'w-one-trip' })
    await Bun.sleep(50)
    await broker.enqueue([m])
    const [lease] = await waiting
    expect(lease?.id).toBe(m.id)
    expect(Math.abs((lease?.expiresAt ?? 0) - (Date.now() + 30_000))).toBeLessThan(5_000)
    // The wait connection's last command is the claim that followed its BLPOP (EVAL the first
    // time a socket runs a script, EVALSHA after).
    const admin = new Bun.RedisClient(REDIS_URL)
    const clients = String(await admin.send('CLIENT', ['LIST']))
    admin.close()
    const waits = clients.split('\n').filter((line) => line.includes('name=celeriac-wait'))
    expect(waits.some((line) => /cmd=(eval|evalsha) /.test(line))).toBe(true)
  })

  test('returns a task that is already due at once, without waiting', async () => {
    const broker = open(client)
    const m = message('q-due')
    await broker.enqueue([m])
    const started = performance.now()
    expect((await broker.reserve(request(m.queue, 10_000))).map((l) => l.id)).toEqual([m.id])
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  test('waits no longer than until the next delayed task falls due, then returns it', async () => {
    const broker = open(client)
    const m = message('q-delayed', systemClock.now() + 300)
    await broker.enqueue([m])
    const started = performance.now()
    const leases = await broker.reserve(request(m.queue, 10_000))
    expect(leases.map((l) => l.id)).toEqual([m.id])
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  test('waits out waitMs on an empty queue instead of returning at once', async () => {
    const broker = open(client)
    const started = performance.now()
    expect(await broker.reserve(request('q-empty', 200))).toEqual([])
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
  })
})
