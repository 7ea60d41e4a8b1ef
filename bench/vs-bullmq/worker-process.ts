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
import { benchRegistry, CELERIAC_SYSTEMS, celeriacUrl, hrNow, QUEUE, type SystemName } from './systems.ts'

const [system, concurrencyText, portText, probesText] = process.argv.slice(2) as [
  SystemName,
  string,
  string,
  string?,
]
const concurrency = Number(concurrencyText)
const port = Number(portText)
const probes = probesText ? Number(probesText) : 0
const latencies: number[] = []

/** Called first thing in every handler. */
function started(data: { t?: number } | undefined): void {
  if (data?.t === undefined) return
  latencies.push(hrNow() - data.t)
  if (latencies.length !== probes) return
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  console.log(JSON.stringify({ p50: at(0.5), p95: at(0.95), p99: at(0.99) }))
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
