import BeeQueue from 'bee-queue'
import { Queue } from 'bullmq'
import { z } from 'zod'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { Client } from '../../src/client/client.ts'
import { systemClock } from '../../src/core/clock.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'

/** `celeriac` runs on ioredis (the default client), `celeriac-bun` on Bun's (`?client=bun`). */
export const SYSTEMS = ['celeriac', 'celeriac-bun', 'bullmq', 'bee-queue'] as const
export type SystemName = (typeof SYSTEMS)[number]
export const CELERIAC_SYSTEMS: SystemName[] = ['celeriac', 'celeriac-bun']

/** The broker URL of a Celeriac system on the bench server. */
export const celeriacUrl = (system: SystemName, port: number): string =>
  `redis://127.0.0.1:${port}/0${system === 'celeriac-bun' ? '?client=bun' : ''}`

export const QUEUE = 'bench'

export { hrNow } from './latency-probe.ts'

/** The built-ins plus the latency probe `bench.stamp` (input.t: the producer's hrNow()). */
export function benchRegistry(onStart: (t: number) => void = () => {}) {
  const stamp = defineTask({
    name: 'bench.stamp',
    input: z.object({ t: z.number() }),
    run: ({ t }) => {
      onStart(t)
      return null
    },
  })
  return createBuiltinRegistry([stamp])
}

export interface Counts {
  /** Queued, not taken yet. */
  waiting: number
  /** Queued or running: 0 once every job's outcome is stored. */
  unfinished: number
}

/** The producer side of one system, plus the counters the bench polls. */
export interface Producer {
  /** One job per call (no batching by the caller). `t` set: a latency probe. */
  add(t?: number): Promise<unknown>
  addBulk(count: number): Promise<unknown>
  counts(): Promise<Counts>
  close(): Promise<void>
}

export function createProducer(system: SystemName, port: number): Producer {
  if (CELERIAC_SYSTEMS.includes(system)) return celeriacProducer(celeriacUrl(system, port))
  if (system === 'bullmq') return bullmqProducer(port)
  return beeProducer(port)
}

function celeriacProducer(url: string): Producer {
  const broker = createRedisBroker({ url, clock: systemClock })
  const client = new Client({ broker, registry: benchRegistry() })
  const options = { queue: QUEUE }
  return {
    add: (t) =>
      t === undefined
        ? client.enqueue('debug.noop', {}, options)
        : client.enqueue('bench.stamp', { t }, options),
    addBulk: (count) =>
      client.enqueueMany(Array.from({ length: count }, () => ({ task: 'debug.noop', input: {}, options }))),
    async counts() {
      const stats = (await broker.queueStats()).find((q) => q.queue === QUEUE)
      if (!stats) return { waiting: 0, unfinished: 0 }
      return { waiting: stats.waiting, unfinished: stats.waiting + stats.active }
    },
    close: () => broker.close(),
  }
}

function bullmqProducer(port: number): Producer {
  const queue = new Queue(QUEUE, { connection: { host: '127.0.0.1', port } })
  const opts = { removeOnComplete: false, removeOnFail: false }
  return {
    add: (t) => queue.add('noop', t === undefined ? {} : { t }, opts),
    addBulk: (count) =>
      queue.addBulk(Array.from({ length: count }, () => ({ name: 'noop', data: {}, opts }))),
    async counts() {
      const c = await queue.getJobCounts('wait', 'prioritized', 'active')
      const waiting = (c.wait ?? 0) + (c.prioritized ?? 0)
      return { waiting, unfinished: waiting + (c.active ?? 0) }
    },
    close: () => queue.close(),
  }
}

function beeProducer(port: number): Producer {
  const queue = new BeeQueue(QUEUE, {
    redis: { host: '127.0.0.1', port },
    isWorker: false,
    getEvents: false,
    storeJobs: false,
    removeOnSuccess: false,
  })
  return {
    add: (t) => queue.createJob(t === undefined ? {} : { t }).save(),
    addBulk: (count) => queue.saveAll(Array.from({ length: count }, () => queue.createJob({}))),
    async counts() {
      const h = await queue.checkHealth()
      return { waiting: h.waiting, unfinished: h.waiting + h.active }
    },
    close: () => queue.close(),
  }
}
