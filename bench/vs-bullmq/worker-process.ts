/**
 * One worker process of the bench: `bun worker-process.ts <system> <concurrency> <port> [probes]`.
 * Prints `ready` once consuming. Jobs carrying `t` are latency probes: with `probes` set, it prints
 * `{"p50":..,"p95":..,"p99":..}` (ms, enqueue→start) after that many. Stops on SIGTERM.
 */
import BeeQueue from 'bee-queue'
import { Worker as BullWorker } from 'bullmq'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createWorker } from '../../src/worker/worker.ts'
import { latencyRecorder } from './latency-probe.ts'
import { benchRegistry, CELERIAC_SYSTEMS, celeriacUrl, QUEUE, type SystemName } from './systems.ts'

const [system, concurrencyText, portText, probesText] = process.argv.slice(2) as [
  SystemName,
  string,
  string,
  string?,
]
const concurrency = Number(concurrencyText)
const port = Number(portText)
const record = latencyRecorder(probesText ? Number(probesText) : 0)

/** Called first thing in every handler. */
function started(data: { t?: number } | undefined): void {
  if (data?.t !== undefined) record(data.t)
}

async function startCeleriac(): Promise<() => Promise<unknown>> {
  const broker = createRedisBroker({ url: celeriacUrl(system, port), clock: systemClock })
  const registry = benchRegistry((t) => started({ t }))
  const worker = createWorker({ broker, registry, queues: [QUEUE], concurrency })
  await worker.start()
  return async () => {
    await worker.stop()
    await broker.close()
  }
}

async function startBullmq(): Promise<() => Promise<unknown>> {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null }
  const worker = new BullWorker(
    QUEUE,
    async (job) => {
      started(job.data)
      return null
    },
    { connection, concurrency },
  )
  await worker.waitUntilReady()
  return () => worker.close()
}

async function startBee(): Promise<() => Promise<unknown>> {
  const queue = new BeeQueue(QUEUE, {
    redis: { host: '127.0.0.1', port },
    isWorker: true,
    getEvents: false,
    activateDelayedJobs: false,
    removeOnSuccess: false,
    storeJobs: false,
  })
  queue.process(concurrency, async (job: BeeQueue.Job<{ t?: number }>) => {
    started(job.data)
    return null
  })
  await queue.ready()
  return () => queue.close()
}

const stop = await (CELERIAC_SYSTEMS.includes(system)
  ? startCeleriac()
  : system === 'bullmq'
    ? startBullmq()
    : startBee())
console.log('ready')
process.on('SIGTERM', async () => {
  await stop()
  process.exit(0)
})
