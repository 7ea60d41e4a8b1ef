import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Redis as UpstashRedis } from '@upstash/redis'
import { z } from 'zod'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { createBroker } from '../../src/brokers/create-broker.ts'
import { createUpstashBroker, type UpstashBroker } from '../../src/brokers/upstash/upstash-broker.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { defineTask } from '../../src/core/task.ts'
import { Worker } from '../../src/worker/worker.ts'
import { Harness, unique } from './conformance/harness.ts'
import { describeBroker } from './conformance.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'
import { describeScheduleStore } from './schedule-store-conformance.ts'
import { UpstashEmulator } from './upstash-emulator.ts'

const TOKEN = `test-token-${process.pid}`
let emulator: UpstashEmulator
const prefixes: string[] = []

beforeAll(() => {
  emulator = new UpstashEmulator(TOKEN, REDIS_URL)
})

afterAll(async () => {
  await emulator.close()
  await deleteKeys(REDIS_URL, prefixes)
})

function makeBroker(clock = new FakeClock(), params: Record<string, string | number> = {}): UpstashBroker {
  const prefix = testPrefix('upstash')
  prefixes.push(prefix)
  return createUpstashBroker({ url: emulator.brokerUrl({ prefix, ...params }), clock })
}

describeBroker('upstash', async (clock) => makeBroker(clock))
describeScheduleStore('upstash', async (clock) => makeBroker(clock))

describe('upstash emulator, through the genuine @upstash/redis client', () => {
  const sdk = () => new UpstashRedis({ url: emulator.url, token: TOKEN, enableTelemetry: false })

  test('answers one command, a pipeline and a transaction, base64-encoded as the client expects', async () => {
    const key = `${testPrefix('sdk')}:k`
    prefixes.push(key)
    const redis = sdk()
    expect(await redis.set(key, 'héllo ✓')).toBe('OK')
    expect(await redis.get<string>(key)).toBe('héllo ✓')
    const p = redis.pipeline()
    p.append(key, '!')
    p.get(key)
    expect(await p.exec()).toEqual([11, 'héllo ✓!'])
    const m = redis.multi()
    m.set(key, '{"a":1}')
    m.get(key)
    expect(await m.exec()).toEqual(['OK', { a: 1 }])
    await redis.del(key)
  })

  test('refuses a wrong token with 401', async () => {
    const res = await fetch(emulator.url, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
      body: '["PING"]',
    })
    expect(res.status).toBe(401)
  })
})

describe('upstash broker over HTTP', () => {
  test('is created from an upstash+http URL and hides the token in errors', async () => {
    const broker = createBroker(emulator.brokerUrl({ prefix: testPrefix('url') }), { clock: new FakeClock() })
    expect(broker.engine).toBe('upstash')
    expect(broker.capabilities.blockingReserve).toBe(false)
    expect(broker.capabilities.idlePollMs).toBe(1_000)
    await broker.close()
    expect(() => createBroker('upstash://sekret@host?idlePollMs=0', { clock: new FakeClock() })).toThrow(
      "broker 'upstash://***@host?idlePollMs=0': idlePollMs must be an integer >= 1, got '0'",
    )
  })

  test('retries an enqueue answered with 503 and stores the task once', async () => {
    const h = new Harness(new FakeClock(), makeBroker())
    const queue = h.queue()
    emulator.injectOnce('unavailable', isEnqueue)
    const id = await h.add(queue)
    await expectOneTask(h, queue, id)
  })

  test('retries an enqueue whose response was cut after it ran, without a duplicate task', async () => {
    const h = new Harness(new FakeClock(), makeBroker())
    const queue = h.queue()
    emulator.injectOnce('cut', isEnqueue)
    const message = h.message(queue)
    const [outcome] = await h.broker.enqueue([message])
    // The first attempt stored it; the retry found the stored id (client-generated ids dedup).
    expect(outcome).toEqual({ id: message.id, created: false })
    await expectOneTask(h, queue, message.id)
  })

  test('retries an enqueue that timed out after it ran, without a duplicate task', async () => {
    const h = new Harness(new FakeClock(), makeBroker(new FakeClock(), { timeoutMs: 300 }))
    const queue = h.queue()
    emulator.injectOnce({ stallMs: 600 }, isEnqueue)
    const id = await h.add(queue)
    await expectOneTask(h, queue, id)
  })

  test('gives up after the configured retries with a clear error', async () => {
    const h = new Harness(new FakeClock(), makeBroker(new FakeClock(), { retries: 1 }))
    const queue = h.queue()
    emulator.injectOnce('unavailable', isEnqueue)
    emulator.injectOnce('unavailable', isEnqueue)
    await expect(h.add(queue)).rejects.toThrow(
      /upstash: request failed after 2 attempts: Service Unavailable/,
    )
    await closeHarness(h)
  })

  test('refuses a request above maxRequestBytes before sending it', async () => {
    const h = new Harness(new FakeClock(), makeBroker(new FakeClock(), { maxRequestBytes: 64 * 1024 }))
    const queue = h.queue()
    await h.add(queue)
    emulator.seen.length = 0
    emulator.recording = true
    const big = h.message(queue, { input: { blob: 'x'.repeat(100 * 1024) } })
    await expect(h.broker.enqueue([big])).rejects.toThrow(/exceeds the request limit of 65536 bytes/)
    await h.broker.readEvents(null, 1) // flushes the event log, whose write would come later
    emulator.recording = false
    expect(JSON.stringify(emulator.seen)).not.toContain(big.id)
    await closeHarness(h)
  })

  test('batches the commands of one turn into one /pipeline request', async () => {
    const h = new Harness(new FakeClock(), makeBroker())
    const queues = [h.queue(), h.queue(), h.queue()]
    await h.broker.enqueue(queues.map((q) => h.message(q)))
    const leases = await Promise.all(queues.map((q) => h.reserveOne(q)))
    await h.broker.readEvents(null, 1) // flushes the reserve's buffered events first
    emulator.resetStats()
    const outcomes = await h.broker.settle(
      leases.map((lease) => ({ kind: 'ack', lease, result: 1, runtimeMs: 1 })),
    )
    expect(outcomes).toEqual(['ok', 'ok', 'ok'])
    expect(emulator.stats).toMatchObject({ requests: 1, commands: 3, byPath: { '/pipeline': 1 } })
    await closeHarness(h)
  })

  test('an idle worker sends one request per heartbeat (heartbeat and control poll together) and one per idle poll', async () => {
    const idlePollMs = 500
    const heartbeatMs = 1_000
    const broker = makeBroker(undefined, { idlePollMs })
    const registry = new TaskRegistry([
      defineTask({ name: 'test.noop', input: z.object({}), run: async () => null }),
    ])
    const queue = unique('idle')
    const name = unique('idle-worker')
    const worker = new Worker({ broker, registry, queues: [queue], concurrency: 2, name, heartbeatMs })
    await worker.start()
    await Bun.sleep(1_500) // the backoff reaches idlePollMs
    emulator.resetStats()
    emulator.seen.length = 0
    emulator.recording = true
    const windowMs = 4_000
    await Bun.sleep(windowMs)
    emulator.recording = false
    const { requests, commands } = emulator.stats
    await worker.stop()
    await broker.close()
    const requestsSeen = emulator.seen.map((cmds) => cmds.map((c) => c.map(String)))
    const mentions = (cmds: string[][], text: string) => cmds.some((c) => c.some((arg) => arg.includes(text)))
    const isControlPoll = (cmds: string[][]) => cmds.some((c) => c[0]?.toUpperCase() === 'ZRANGEBYSCORE')
    // A heartbeat writes the worker's snapshot under the workers index; a reserve names the queue.
    const heartbeats = requestsSeen.filter((cmds) => mentions(cmds, ':workers}:index'))
    const polls = requestsSeen.filter(isControlPoll)
    const reserves = requestsSeen.filter(
      (cmds) => mentions(cmds, queue) && !mentions(cmds, ':workers}:index'),
    )
    console.log(
      `idle worker: ${requests} requests, ${commands} commands in ${windowMs} ms ` +
        `(${heartbeats.length} heartbeats, ${reserves.length} reserves)`,
    )
    // Each heartbeat carries its control poll in the same request, and no poll travels alone.
    expect(heartbeats.length).toBeGreaterThanOrEqual(windowMs / heartbeatMs - 1)
    expect(heartbeats.length).toBeLessThanOrEqual(windowMs / heartbeatMs + 1)
    for (const request of heartbeats) expect(isControlPoll(request)).toBe(true)
    expect(polls.length).toBe(heartbeats.length)
    // At idle, about one reserve per idlePollMs; nothing else but a recovery pass now and then.
    expect(reserves.length).toBeLessThanOrEqual(windowMs / idlePollMs + 1)
    expect(requests - heartbeats.length - reserves.length).toBeLessThanOrEqual(2)
  }, 15_000)

  test('falls back from EVALSHA to EVAL after the server lost its scripts (NOSCRIPT)', async () => {
    const h = new Harness(new FakeClock(), makeBroker())
    const queue = h.queue()
    await h.add(queue)
    await emulator.flushScripts()
    emulator.seen.length = 0
    emulator.recording = true
    const id = await h.add(queue)
    emulator.recording = false
    const sent = emulator.seen.flat().map((c) => String(c[0]))
    expect(sent).toContain('EVALSHA')
    expect(sent).toContain('EVAL')
    expect((await h.reserve(queue)).map((l) => l.id)).toContain(id)
    await closeHarness(h)
  })
})

function isEnqueue(commands: (string | number)[][]): boolean {
  const scripts = commands.filter((c) => c[0] === 'EVALSHA' || c[0] === 'EVAL')
  return scripts.some((c) => c.some((arg) => String(arg).startsWith('{"v":1,')))
}

async function expectOneTask(h: Harness, queue: string, id: string): Promise<void> {
  const stats = (await h.broker.queueStats()).find((s) => s.queue === queue)
  expect(stats?.waiting).toBe(1)
  const leases = await h.reserve(queue)
  expect(leases.map((l) => l.id)).toEqual([id])
  await closeHarness(h)
}

async function closeHarness(h: Harness): Promise<void> {
  for (const queue of h.queues) await h.broker.purge(queue)
  await (h.broker as BrokerEngine).close()
}
