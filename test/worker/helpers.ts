import { afterEach } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { type Clock, systemClock } from '../../src/core/clock.ts'
import type { TaskResult } from '../../src/core/result.ts'
import { isTerminal } from '../../src/core/states.ts'
import { defineTask } from '../../src/core/task.ts'
import { abortableSleep } from '../../src/tasks/debug/abortable-sleep.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { createWorker, type Worker, type WorkerOptions } from '../../src/worker/worker.ts'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

export function tempDbPath(): string {
  const path = join(tmpdir(), `celeriac-worker-${process.pid}-${Bun.randomUUIDv7()}.db`)
  cleanups.push(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  })
  return path
}

/** A broker on a fresh temp file, closed and deleted after the test. */
export function makeBroker(
  clock: Clock = systemClock,
  options: { resultTtlMs?: number; path?: string } = {},
) {
  const broker = createSqliteBroker({
    path: options.path ?? tempDbPath(),
    clock,
    resultTtlMs: options.resultTtlMs,
  })
  cleanups.push(() => broker.close())
  return broker
}

/** Test-only tasks, beside the built-in debug ones. */
export const progressTask = defineTask({
  name: 'test.progress',
  input: z.object({ steps: z.number().int() }),
  run: async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) await ctx.progress({ done: i, of: steps })
    return { steps }
  },
})

/** Ignores its signal: shows that a hard limit frees the slot even when the code will not stop. */
export const stubbornTask = defineTask({
  name: 'test.stubborn',
  input: z.object({ ms: z.number().int() }),
  timeLimit: { hard: 150 },
  run: async ({ ms }) => {
    await Bun.sleep(ms)
    return 'finished anyway'
  },
})

/** Ignores its signal and has no limits: only a forceful stop (terminate, grace over) frees its slot. */
export const deafTask = defineTask({
  name: 'test.deaf',
  input: z.object({ ms: z.number().int() }),
  run: async ({ ms }) => {
    await Bun.sleep(ms)
    return 'finished anyway'
  },
})

export const softLimitedTask = defineTask({
  name: 'test.soft',
  input: z.object({ ms: z.number().int() }),
  timeLimit: { soft: 100 },
  run: async ({ ms }, ctx) => {
    await abortableSleep(ms, ctx.signal)
    return 'slept'
  },
})

export function testRegistry() {
  return createBuiltinRegistry([progressTask, stubbornTask, softLimitedTask, deafTask])
}

/** A worker with test-sized timings, stopped after the test if the test did not stop it. */
export function startWorker(broker: BrokerEngine, options: Partial<WorkerOptions> = {}): Worker {
  const worker = createWorker({
    broker,
    registry: testRegistry(),
    queues: ['default'],
    concurrency: 4,
    leaseMs: 1_500,
    heartbeatMs: 100,
    pollMs: 20,
    graceMs: 2_000,
    ...options,
  })
  cleanups.push(async () => {
    await worker.stop()
  })
  void worker.start()
  return worker
}

export function makeClient(broker: BrokerEngine, clock: Clock = systemClock): Client {
  return new Client({ broker, registry: testRegistry(), clock })
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(10)
  }
}

export function waitForTerminal(broker: BrokerEngine, id: string, timeoutMs = 5_000): Promise<TaskResult> {
  return waitFor(
    `task ${id} to finish`,
    async () => {
      const r = await broker.getResult(id)
      return r && isTerminal(r.state) ? r : undefined
    },
    timeoutMs,
  )
}

export function waitForState(
  broker: BrokerEngine,
  id: string,
  state: TaskResult['state'],
): Promise<TaskResult> {
  return waitFor(`task ${id} to reach ${state}`, async () => {
    const r = await broker.getResult(id)
    return r?.state === state ? r : undefined
  })
}
