/**
 * Celeriac vs BullMQ vs bee-queue on one private redis-server (free loopback port, no
 * persistence, stopped at the end). Each run does, for each system in turn (the order rotates
 * per run): enqueue N no-op jobs one at a time with `--inflight` promises outstanding; drain
 * them with one worker process at concurrency 1; enqueue N in bulk (batches of 1,000); drain at
 * concurrency 50; then enqueue→start latency at a fixed `--rate` for `--seconds` (worker at
 * concurrency 50). Results are kept by all three. Medians over `--runs` are printed with the
 * Redis CPU time per job (INFO cpu before and after each phase), the producer's CPU per job (this
 * process), each worker's CPU per job (/proc, from ready to the last outcome) and peak RSS.
 *
 *   bun bench/vs-bullmq.ts [--jobs 50000] [--runs 3] [--rate 1000] [--seconds 20] [--only celeriac,bullmq]
 *                          [--bin dist/celeriac]   (Celeriac's workers from the compiled binary)
 */
import { parseArgs } from 'node:util'
import { enqueueInBatches } from './vs-bullmq/enqueue-in-batches.ts'
import { enqueueOneByOne } from './vs-bullmq/enqueue-one-by-one.ts'
import { type BenchRedis, startBenchRedis } from './vs-bullmq/redis-server.ts'
import { printReport, type RunResult } from './vs-bullmq/report.ts'
import { createProducer, hrNow, type Producer, SYSTEMS, type SystemName } from './vs-bullmq/systems.ts'
import { WorkerHandle } from './vs-bullmq/worker-handle.ts'

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    inflight: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    only: { type: 'string', default: SYSTEMS.join(',') },
    bin: { type: 'string' },
  },
})
const N = Number(values.jobs)
const RUNS = Number(values.runs)
const INFLIGHT = Number(values.inflight)
const BATCH = Number(values.batch)
const RATE = Number(values.rate)
const SECONDS = Number(values.seconds)
/** The compiled binary for Celeriac's workers (`--bin dist/celeriac`); from source without it. */
const BIN = values.bin ?? null
const systems = (values.only ?? '')
  .split(',')
  .filter((s): s is SystemName => SYSTEMS.includes(s as SystemName))

/** Runs `fn`, returning its wall time and the Redis and producer (this process) CPU it cost per job. */
async function measure(redis: BenchRedis, jobs: number, fn: () => Promise<unknown>) {
  const cpu0 = await redis.cpuUs()
  const own0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const ms = performance.now() - t0
  const own = process.cpuUsage(own0)
  return {
    perSec: (jobs / ms) * 1000,
    cpuUs: ((await redis.cpuUs()) - cpu0) / jobs,
    producerUs: (own.user + own.system) / jobs,
  }
}

/** One worker process drains the N queued jobs; timed from the first job taken to the last outcome stored. */
async function drain(redis: BenchRedis, producer: Producer, system: SystemName, concurrency: number) {
  const cpu0 = await redis.cpuUs()
  const worker = new WorkerHandle(system, concurrency, redis.port, 0, BIN)
  await worker.ready()
  const workerCpu0 = worker.cpuUs()
  let first: number | null = null
  for (;;) {
    const counts = await producer.counts()
    if (first === null && counts.waiting < N) first = performance.now()
    if (counts.unfinished === 0) break
    await Bun.sleep(2)
  }
  const ms = performance.now() - (first ?? performance.now())
  const cpuUs = ((await redis.cpuUs()) - cpu0) / N
  const rssMb = worker.peakRssMb()
  const workerUs = (worker.cpuUs() - workerCpu0) / N
  await worker.stop()
  return { perSec: (N / ms) * 1000, cpuUs, rssMb, workerUs }
}

/** Probes at a fixed rate, each enqueued on its own; the worker reports enqueue→start percentiles. */
async function latency(redis: BenchRedis, producer: Producer, system: SystemName) {
  const probes = RATE * SECONDS
  const worker = new WorkerHandle(system, 50, redis.port, probes, BIN)
  await worker.ready()
  await Bun.sleep(500)
  const t0 = performance.now()
  const sends: Promise<unknown>[] = []
  for (let sent = 0; sent < probes; ) {
    const due = Math.min(probes, Math.floor(((performance.now() - t0) * RATE) / 1000) + 1)
    for (; sent < due; sent++) sends.push(producer.add(hrNow()))
    await Bun.sleep(1)
  }
  await Promise.all(sends)
  const line = await worker.line((l) => l.startsWith('{'))
  await worker.stop()
  return JSON.parse(line) as { p50: number; p95: number; p99: number }
}

async function suite(redis: BenchRedis, system: SystemName): Promise<RunResult> {
  await redis.flush()
  const producer = createProducer(system, redis.port)
  try {
    const one = await measure(redis, N, () => enqueueOneByOne(producer, N, INFLIGHT))
    const c1 = await drain(redis, producer, system, 1)
    const bulk = await measure(redis, N, () => enqueueInBatches(producer, N, BATCH))
    const c50 = await drain(redis, producer, system, 50)
    await redis.flush()
    const lat = await latency(redis, producer, system)
    return { system, one, bulk, c1, c50, lat }
  } finally {
    await producer.close()
  }
}

const redis = await startBenchRedis()
const startedAt = performance.now()
console.log(
  `celeriac vs bullmq vs bee-queue: ${N} no-op jobs, ${RUNS} run(s), ${INFLIGHT} in flight, ` +
    `latency at ${RATE}/s for ${SECONDS} s, redis-server on :${redis.port}, ${navigator.hardwareConcurrency} cores, ` +
    `Celeriac workers ${BIN ? `from ${BIN}` : 'from source'}`,
)
const results: RunResult[] = []
try {
  for (let run = 0; run < RUNS; run++) {
    const order = systems.map((_, i) => systems[(i + run) % systems.length] as SystemName)
    for (const system of order) {
      const r = await suite(redis, system)
      results.push(r)
      const f = (n: number) => Math.round(n).toLocaleString('en-US')
      console.log(
        `run ${run + 1} ${system}: enqueue ${f(r.one.perSec)}/s, bulk ${f(r.bulk.perSec)}/s, ` +
          `c=1 ${f(r.c1.perSec)}/s, c=50 ${f(r.c50.perSec)}/s, p99 ${r.lat.p99.toFixed(2)} ms`,
      )
    }
  }
  printReport(results, systems)
  console.log(`total time ${Math.round((performance.now() - startedAt) / 1000)} s`)
} finally {
  await redis.stop()
}
process.exit(0)
