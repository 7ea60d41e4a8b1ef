import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { Client } from '../../src/client/client.ts'
import { systemClock } from '../../src/core/clock.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { createWorker } from '../../src/worker/worker.ts'
import { type RedisServerProcess, redisCli, startRedisServer } from '../brokers/redis-server-process.ts'
import { waitFor } from './helpers.ts'

const TASKS = 400

let server: RedisServerProcess
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server.stop()
})

/** How many reads the server has made from its clients' sockets so far. */
async function serverReads(): Promise<number> {
  const info = await redisCli(server.port, 'info', 'stats')
  return Number(/total_reads_processed:(\d+)/.exec(info)?.[1])
}

/**
 * At concurrency 1 a worker sends a task's outcome, its events and the claim of the next task in
 * one write, so the server reads once per task: every extra write is a syscall on both sides and
 * an event-loop turn of the server's.
 */
describe('worker at concurrency 1 on Redis: one write per task', () => {
  for (const client of ['ioredis', 'bun'] as const) {
    test(`on ${client === 'bun' ? "Bun's client" : 'ioredis'}, the server reads about once per task`, async () => {
      const query = client === 'bun' ? '?client=bun' : ''
      const broker = createRedisBroker({
        url: `${server.url}${query}`,
        clock: systemClock,
        prefix: `owpt-${client}`,
      })
      const ran = new Set<number>()
      const noop = defineTask({
        name: 'test.noop',
        input: z.object({ n: z.number().int() }),
        run: async ({ n }) => {
          ran.add(n)
        },
      })
      const registry = createBuiltinRegistry([noop])
      const producer = new Client({ broker, registry, clock: systemClock })
      await producer.enqueueMany(Array.from({ length: TASKS }, (_, n) => ({ task: noop, input: { n } })))
      const worker = createWorker({ broker, registry, queues: ['default'], concurrency: 1, pollMs: 20 })
      const before = await serverReads()
      void worker.start()
      try {
        await waitFor('every task to run', () => ran.size === TASKS, 30_000)
      } finally {
        await worker.stop()
      }
      const perTask = ((await serverReads()) - before) / TASKS
      await broker.close()
      // Two or more per task when the outcome and the next claim leave in writes of their own.
      expect(perTask).toBeLessThan(1.4)
    })
  }
})
