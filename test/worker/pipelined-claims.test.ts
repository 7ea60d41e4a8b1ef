import { afterAll, describe, expect, test } from 'bun:test'
import { z } from 'zod'
import type { BrokerEngine, ReserveRequest } from '../../src/brokers/broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { Client } from '../../src/client/client.ts'
import { systemClock } from '../../src/core/clock.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { createWorker } from '../../src/worker/worker.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'
import { makeBroker, waitFor } from './helpers.ts'

const prefixes: string[] = []
afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
})

const TASKS = 300
const CONCURRENCY = 20

/** What the reserve loop asked of the broker, and the most claims it had on their way at once. */
interface Watched {
  requests: ReserveRequest[]
  peakInFlight: number
}

/** The real broker, with its reserve() watched (nothing else changes). */
function watched(broker: BrokerEngine): { broker: BrokerEngine; seen: Watched } {
  const seen: Watched = { requests: [], peakInFlight: 0 }
  let inFlight = 0
  const wrapped: BrokerEngine = Object.create(broker)
  wrapped.reserve = async (req) => {
    seen.requests.push(req)
    seen.peakInFlight = Math.max(seen.peakInFlight, ++inFlight)
    try {
      return await broker.reserve(req)
    } finally {
      inFlight--
    }
  }
  return { broker: wrapped, seen }
}

/** Drains TASKS short tasks at CONCURRENCY; returns the peak of tasks running at once and the runs. */
async function drain(broker: BrokerEngine) {
  let running = 0
  let peakRunning = 0
  const runs = new Map<number, number>()
  const short = defineTask({
    name: 'test.short',
    input: z.object({ n: z.number().int() }),
    run: async ({ n }) => {
      peakRunning = Math.max(peakRunning, ++running)
      runs.set(n, (runs.get(n) ?? 0) + 1)
      await Bun.sleep(1)
      running--
      return n
    },
  })
  const registry = createBuiltinRegistry([short])
  const client = new Client({ broker, registry, clock: systemClock })
  await client.enqueueMany(Array.from({ length: TASKS }, (_, n) => ({ task: short, input: { n } })))
  const worker = createWorker({ broker, registry, queues: ['default'], concurrency: CONCURRENCY, pollMs: 20 })
  void worker.start()
  try {
    await waitFor('every task to run', () => runs.size === TASKS, 20_000)
  } finally {
    await worker.stop()
  }
  return { peakRunning, runs }
}

describe('worker: claims sent together while a backlog lasts', () => {
  test('on Redis, free slots are claimed as two claims on their way at once, never more than the free slots', async () => {
    const prefix = testPrefix('pipelined-claims')
    prefixes.push(prefix)
    const redis = createRedisBroker({ url: REDIS_URL, clock: systemClock, prefix })
    try {
      const { broker, seen } = watched(redis)
      const { peakRunning, runs } = await drain(broker)
      expect([...runs.values()].every((count) => count === 1)).toBe(true)
      expect(peakRunning).toBeLessThanOrEqual(CONCURRENCY)
      expect(seen.peakInFlight).toBe(2)
      // The paired claims do not wait for work: a backlog is there, so a short claim ends the pairing.
      const paired = seen.requests.filter((r) => r.waitMs === undefined)
      expect(paired.length).toBeGreaterThanOrEqual(2)
      expect(seen.requests.every((r) => r.max <= CONCURRENCY)).toBe(true)
    } finally {
      await redis.close()
    }
  })

  test('on SQLite (each claim a transaction of its own), one claim at a time', async () => {
    const { broker, seen } = watched(makeBroker())
    const { runs } = await drain(broker)
    expect([...runs.values()].every((count) => count === 1)).toBe(true)
    expect(seen.peakInFlight).toBe(1)
  })
})
