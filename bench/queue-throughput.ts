/**
 * Queue throughput on the embedded SQLite broker: enqueue 20,000 debug.noop tasks one at a time
 * and in batches, then drain them with ONE worker process at concurrency 1 and 50 (results
 * stored), printing tasks/s and the worker's peak RSS.
 *
 *   bun bench/queue-throughput.ts [--tasks 20000] [--batch 1000] [--bin dist/celeriac]
 *
 * Drain rate = tasks / (last finishedAt - first startedAt) read back from the stored results, so
 * process start-up and polling of the bench itself are not counted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { BrokerEngine } from '../src/brokers/broker.ts'
import { createBroker } from '../src/brokers/create-broker.ts'
import { Client } from '../src/client/client.ts'
import { systemClock } from '../src/core/clock.ts'
import { createBuiltinRegistry } from '../src/tasks/index.ts'
import { peakRssMb } from './peak-rss.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '1000' },
    bin: { type: 'string' },
  },
})
const N = Number(values.tasks)
const BATCH = Number(values.batch)
const command = values.bin ? [values.bin] : [process.execPath, join(import.meta.dir, '../src/main.ts')]

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')} tasks/s`
}

async function enqueueOneByOne(client: Client): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < N; i++) await client.enqueue('debug.noop', {})
  return performance.now() - t0
}

async function enqueueBatched(client: Client): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < N; i += BATCH) {
    const size = Math.min(BATCH, N - i)
    await client.enqueueMany(Array.from({ length: size }, () => ({ task: 'debug.noop', input: {} })))
  }
  return performance.now() - t0
}

async function drain(url: string, broker: BrokerEngine, concurrency: number) {
  const proc = Bun.spawn(
    [...command, 'worker', '-c', String(concurrency), '--broker', url, '--log-level', 'warn'],
    {
      stdout: 'inherit',
      stderr: 'inherit',
    },
  )
  for (;;) {
    const stats = await broker.queueStats()
    const left = stats.reduce((sum, q) => sum + q.waiting + q.delayed + q.active, 0)
    if (left === 0) break
    await Bun.sleep(50)
  }
  const peak = Math.round(peakRssMb(proc.pid))
  proc.kill('SIGTERM')
  await proc.exited
  return { peak, ...(await drainWindow(broker)) }
}

/** First start to last finish over every stored result. */
async function drainWindow(broker: BrokerEngine) {
  let first = Number.POSITIVE_INFINITY
  let last = 0
  let succeeded = 0
  let cursor: string | undefined
  do {
    const page = await broker.listTasks({ limit: 1000, cursor })
    for (const t of page.tasks) {
      if (t.state !== 'SUCCESS') continue
      succeeded++
      first = Math.min(first, t.startedAt ?? t.finishedAt ?? first)
      last = Math.max(last, t.finishedAt ?? 0)
    }
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return { succeeded, ms: last - first }
}

async function run(concurrency: number) {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-bench-'))
  const url = `sqlite://${join(dir, 'bench.db')}`
  const broker = await createBroker(url, { clock: systemClock })
  const client = new Client({ broker, registry: createBuiltinRegistry() })
  try {
    const single = concurrency === 1 ? await enqueueOneByOne(client) : null
    if (single !== null) {
      console.log(`enqueue one at a time: ${N} in ${Math.round(single)} ms = ${rate(N, single)}`)
      await broker.purge('default')
    }
    const batched = await enqueueBatched(client)
    console.log(`enqueue in batches of ${BATCH}: ${N} in ${Math.round(batched)} ms = ${rate(N, batched)}`)
    const { peak, succeeded, ms } = await drain(url, broker, concurrency)
    console.log(
      `drain, 1 worker process, concurrency ${concurrency}: ${succeeded} in ${ms} ms = ${rate(succeeded, ms)}, peak RSS ${peak} MB`,
    )
  } finally {
    await broker.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

console.log(
  `celeriac queue throughput, sqlite broker, ${N} debug.noop tasks, ${navigator.hardwareConcurrency} cores`,
)
await run(1)
await run(50)
