import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import type { ReserveRequest } from '../../src/brokers/broker.ts'
import { RedisKeys } from '../../src/brokers/redis/keys.ts'
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

function open(client: 'ioredis' | 'bun', prefix = testPrefix('reserve-wait')): RedisBroker {
  prefixes.push(prefix)
  const broker = createRedisBroker({ url: withClient(REDIS_URL, client), clock: systemClock, prefix })
  brokers.push(broker)
  return broker
}

/**
 * Calls `onCommand` with the arguments of every command the server runs, from a MONITOR on a raw
 * socket. ioredis's monitor() failed now and then ("Command queue state error") when another
 * client connected just after it. Returns what stops it.
 */
async function monitorCommands(onCommand: (args: string[]) => void): Promise<() => void> {
  const { hostname, port } = new URL(REDIS_URL)
  let started = (): void => {}
  const monitoring = new Promise<void>((resolve) => {
    started = resolve
  })
  let partial = ''
  const socket = await Bun.connect({
    hostname,
    port: Number(port || 6379),
    socket: {
      data(_socket, chunk) {
        const lines = (partial + chunk.toString()).split('\r\n')
        partial = lines.pop() ?? ''
        for (const line of lines) {
          if (line === '+OK') started()
          else onCommand([...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? ''))
        }
      },
    },
  })
  socket.write('MONITOR\r\n')
  await monitoring
  return () => socket.end()
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

/** The ids one reserve of up to five (so one task comes back short) takes, waiting up to 10 s. */
const reserveIds = async (broker: RedisBroker, queue: string): Promise<string[]> =>
  (await broker.reserve({ ...request(queue, 10_000), max: 5 })).map((l) => l.id)

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

  test('after a claim that came back short, the next reserve waits at once: one claim per task when tasks come one at a time', async () => {
    const prefix = testPrefix('reserve-wait')
    const worker = open(client, prefix)
    const producer = open(client, prefix)
    const queue = 'q-one-at-a-time'
    const readyKey = new RedisKeys(prefix).queue(queue).ready
    // MONITOR sees every command the server runs: count the reserve scripts sent for this queue.
    let claims = 0
    const stopMonitor = await monitorCommands((args) => {
      if (/^eval(sha)?$/i.test(args[0] ?? '') && args[2] === '5' && args[3] === readyKey) claims++
    })
    try {
      for (let i = 0; i < 5; i++) {
        const waiting = reserveIds(worker, queue)
        await Bun.sleep(30)
        const m = message(queue)
        await producer.enqueue([m])
        expect(await waiting).toEqual([m.id])
      }
      await Bun.sleep(50)
      // The first reserve claims, finds nothing and waits (two claims); each later one only waits.
      expect(claims).toBe(2 + 4)
    } finally {
      stopMonitor()
    }
  })

  test('after a claim that came back short, a task queued before the next reserve comes back at once', async () => {
    const broker = open(client)
    const first = message('q-short-then-due')
    await broker.enqueue([first])
    expect(await reserveIds(broker, first.queue)).toEqual([first.id])
    const next = message(first.queue)
    await broker.enqueue([next])
    const started = performance.now()
    expect(await reserveIds(broker, first.queue)).toEqual([next.id])
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  test('after a claim that came back short, the wait still ends when the delayed task it saw falls due', async () => {
    const broker = open(client)
    const now = message('q-short-then-delayed')
    const later = message(now.queue, systemClock.now() + 300)
    await broker.enqueue([now, later])
    expect(await reserveIds(broker, now.queue)).toEqual([now.id])
    const started = performance.now()
    expect(await reserveIds(broker, now.queue)).toEqual([later.id])
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  test('waits out waitMs on an empty queue instead of returning at once', async () => {
    const broker = open(client)
    const started = performance.now()
    expect(await broker.reserve(request('q-empty', 200))).toEqual([])
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
  })
})
