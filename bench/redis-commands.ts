/**
 * Where Redis's time goes for one system of the vs-bullmq bench, per job: on a private
 * redis-server (free loopback port, no persistence, stopped at the end), either enqueue N no-op
 * jobs one at a time (`--phase enqueue`, 1,000 in flight), in batches of 1,000 (`--phase bulk`),
 * or bulk-load N and drain them with one worker process (`--phase drain`, at `--concurrency`).
 * Prints jobs/s, the server's CPU, the commands, reads and writes it processed (`INFO stats`), the
 * worker's CPU, and every command of `INFO commandstats` with its calls and µs per job (a
 * script's own usec includes the commands it calls; the difference is the script's own cost).
 *
 *   bun bench/redis-commands.ts --system celeriac-bun [--phase drain|enqueue|bulk]
 *                               [--concurrency 1] [--jobs 10000] [--bin dist/celeriac]
 */
import { parseArgs } from 'node:util'
import { enqueueInBatches } from './vs-bullmq/enqueue-in-batches.ts'
import { enqueueOneByOne } from './vs-bullmq/enqueue-one-by-one.ts'
import { type BenchRedis, startBenchRedis } from './vs-bullmq/redis-server.ts'
import { createProducer, SYSTEMS, type SystemName } from './vs-bullmq/systems.ts'
import { WorkerHandle } from './vs-bullmq/worker-handle.ts'

const { values } = parseArgs({
  options: {
    system: { type: 'string', default: 'celeriac' },
    phase: { type: 'string', default: 'drain' },
    concurrency: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '10000' },
    bin: { type: 'string' },
  },
})
const system = values.system as SystemName
if (!SYSTEMS.includes(system)) throw new Error(`--system: one of ${SYSTEMS.join(', ')}`)
const PHASES = ['drain', 'enqueue', 'bulk']
if (!PHASES.includes(values.phase)) throw new Error(`--phase: one of ${PHASES.join(', ')}`)
const BATCH = 1_000
const N = Number(values.jobs)
const CONCURRENCY = Number(values.concurrency)
const INFLIGHT = 1_000

interface Counters {
  reads: number
  writes: number
  commands: number
  cpuUs: number
}

async function counters(redis: BenchRedis): Promise<Counters> {
  const info = (await redis.admin.info('stats')) as string
  const read = (field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(info)?.[1] ?? 0)
  return {
    reads: read('total_reads_processed'),
    writes: read('total_writes_processed'),
    commands: read('total_commands_processed'),
    cpuUs: await redis.cpuUs(),
  }
}

const redis = await startBenchRedis()
const producer = createProducer(system, redis.port)
let worker: WorkerHandle | null = null
try {
  if (values.phase === 'drain') {
    await enqueueInBatches(producer, N, BATCH)
    worker = new WorkerHandle(system, CONCURRENCY, redis.port, 0, values.bin ?? null)
    await worker.ready()
  } else {
    for (let i = 0; i < 1_000; i++) await producer.add() // warm-up, not counted
  }
  await redis.admin.config('RESETSTAT')
  const before = await counters(redis)
  const workerBefore = worker?.cpuUs() ?? 0
  const t0 = performance.now()
  if (worker) {
    while ((await producer.counts()).unfinished > 0) await Bun.sleep(20)
  } else if (values.phase === 'bulk') {
    await enqueueInBatches(producer, N, BATCH)
  } else {
    await enqueueOneByOne(producer, N, INFLIGHT)
  }
  const ms = performance.now() - t0
  const after = await counters(redis)
  const perJob = (n: number) => (n / N).toFixed(2)
  const what = worker
    ? `drain c=${CONCURRENCY}`
    : values.phase === 'bulk'
      ? `enqueue in batches of ${BATCH}`
      : `enqueue one at a time (${INFLIGHT} in flight)`
  console.log(`${system}, ${what}, ${N} jobs: ${Math.round((N / ms) * 1000).toLocaleString('en-US')} jobs/s`)
  console.log(
    `  per job: Redis CPU ${perJob(after.cpuUs - before.cpuUs)} µs, commands ${perJob(after.commands - before.commands)}, reads ${perJob(after.reads - before.reads)}, writes ${perJob(after.writes - before.writes)}` +
      (worker ? `, worker CPU ${perJob(worker.cpuUs() - workerBefore)} µs` : ''),
  )
  const stats = (await redis.admin.info('commandstats')) as string
  for (const [, name, calls, usec] of stats.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) {
    if (name === 'config' || name === 'info' || Number(usec) < N / 100) continue
    console.log(
      `  ${(name ?? '').padEnd(16)} calls ${perJob(Number(calls)).padStart(6)}  µs ${perJob(Number(usec)).padStart(7)}`,
    )
  }
} finally {
  await worker?.stop()
  await producer.close()
  await redis.stop()
}
