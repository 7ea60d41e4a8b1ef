/**
 * Queue throughput on the Redis broker: enqueue debug.noop tasks one at a time and in batches,
 * then drain them with ONE worker process at concurrency 1 and 50 (results stored), printing
 * tasks/s and Redis CPU time per task (INFO cpu before and after, user + sys).
 *
 *   bun bench/redis-throughput.ts [--tasks 20000] [--batch 1000] [--url redis://127.0.0.1:6379/0]
 *
 * Runs under its own key prefix and deletes its keys afterwards (never FLUSHDB).
 */

import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { RedisKeys } from '../src/brokers/redis/keys.ts'
import { createRedisBroker, type RedisBroker } from '../src/brokers/redis/redis-broker.ts'
import { Client } from '../src/client/client.ts'
import { systemClock } from '../src/core/clock.ts'
import { createBuiltinRegistry } from '../src/tasks/index.ts'
import { deleteMatching } from './delete-matching.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '1000' },
    url: { type: 'string', default: 'redis://127.0.0.1:6379/0' },
  },
})
const N = Number(values.tasks)
const BATCH = Number(values.batch)
const prefix = `celeriac-bench-${Date.now().toString(36)}`
const url = `${values.url}?prefix=${prefix}`
const admin = new Redis(values.url)

const rate = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString('en-US')} tasks/s`

async function redisCpuUs(): Promise<number> {
  const info = await admin.info('cpu')
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6
}

async function measure<T>(label: string, count: number, fn: () => Promise<T>): Promise<T> {
  const cpu0 = await redisCpuUs()
  const t0 = performance.now()
  const out = await fn()
  const ms = performance.now() - t0
  const perTask = ((await redisCpuUs()) - cpu0) / count
  console.log(
    `${label}: ${count} in ${Math.round(ms)} ms = ${rate(count, ms)}, Redis CPU ${perTask.toFixed(1)} µs/task`,
  )
  return out
}

/** Drains with one worker process; returns the ms from its first claim to an empty queue (start-up excluded). */
async function drain(broker: RedisBroker, concurrency: number): Promise<number> {
  const main = new URL('../src/main.ts', import.meta.url).pathname
  const args = [
    process.execPath,
    main,
    'worker',
    '-c',
    String(concurrency),
    '--broker',
    url,
    '--log-level',
    'error',
  ]
  const proc = Bun.spawn(args, { stdout: 'ignore', stderr: 'inherit' })
  let started: number | null = null
  for (;;) {
    const stats = await broker.queueStats()
    const left = stats.reduce((sum, q) => sum + q.waiting + q.delayed + q.active, 0)
    const waiting = stats.reduce((sum, q) => sum + q.waiting, 0)
    if (started === null && waiting < N) started = performance.now()
    if (left === 0) break
    await Bun.sleep(2)
  }
  const ms = performance.now() - (started ?? performance.now())
  proc.kill('SIGTERM')
  await proc.exited
  return ms
}

async function enqueueBatched(client: Client): Promise<void> {
  for (let i = 0; i < N; i += BATCH) {
    const size = Math.min(BATCH, N - i)
    await client.enqueueMany(Array.from({ length: size }, () => ({ task: 'debug.noop', input: {} })))
  }
}

const broker = createRedisBroker({ url, clock: systemClock })
const client = new Client({ broker, registry: createBuiltinRegistry() })
console.log(
  `celeriac queue throughput, redis broker (${values.url}), ${N} debug.noop tasks, ${navigator.hardwareConcurrency} cores`,
)
try {
  await measure('enqueue one at a time', N, async () => {
    for (let i = 0; i < N; i++) await client.enqueue('debug.noop', {})
  })
  const c1 = await measure('drain, 1 worker process, concurrency 1', N, () => drain(broker, 1))
  console.log(`  from first claim to empty queue: ${Math.round(c1)} ms = ${rate(N, c1)}`)
  await measure(`enqueue in batches of ${BATCH}`, N, () => enqueueBatched(client))
  const c50 = await measure('drain, 1 worker process, concurrency 50', N, () => drain(broker, 50))
  console.log(`  from first claim to empty queue: ${Math.round(c50)} ms = ${rate(N, c50)}`)
} finally {
  await broker.close()
  await deleteMatching(admin, new RedisKeys(prefix).pattern())
  admin.disconnect()
}
