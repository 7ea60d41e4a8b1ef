/**
 * Two tenants on one queue: a big one with N tasks queued first, a small one with 50 queued once
 * the big backlog is under way; four workers at -c 10 in one process, each task sleeping 5 ms.
 * Run twice per engine: with fair sharing (concurrencyKey = tenant, concurrency 5) and without
 * (the same task, no key). Prints how long the small tenant's 50 took from their enqueue to the
 * last one's end, how many big tasks ended meanwhile, the highest number of one tenant's tasks
 * running at once. Then what the gate costs on Redis: 10,000 no-op tasks spread over 100 tenants
 * drained by the same workers, with and without a per-tenant cap, as server CPU per task.
 *
 *   bun bench/fairness.ts [--big 20000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createCeleriac, defineTask } from '../src/index.ts'
import { startBenchRedis } from './vs-bullmq/redis-server.ts'

const { values } = parseArgs({ options: { big: { type: 'string', default: '20000' } } })
const BIG = Number(values.big)
const SMALL = 50
const PER_KEY = 5

interface Outcome {
  smallMs: number
  bigMeanwhile: number
  peak: Record<string, number>
}

async function run(broker: string, fair: boolean): Promise<Outcome> {
  const finished: string[] = []
  const running: Record<string, number> = { big: 0, small: 0 }
  const peak: Record<string, number> = { big: 0, small: 0 }
  const Input = z.object({ tenant: z.enum(['big', 'small']) })
  const work = async ({ tenant }: z.infer<typeof Input>) => {
    running[tenant] = (running[tenant] ?? 0) + 1
    peak[tenant] = Math.max(peak[tenant] ?? 0, running[tenant] ?? 0)
    await Bun.sleep(5)
    running[tenant] = (running[tenant] ?? 0) - 1
    finished.push(tenant)
  }
  const task = fair
    ? defineTask({
        name: 'bench.tenant',
        input: Input,
        concurrencyKey: ({ tenant }) => tenant,
        concurrency: PER_KEY,
        run: work,
      })
    : defineTask({ name: 'bench.tenant', input: Input, run: work })
  const app = createCeleriac({ broker })
  const bound = app.task(task)
  for (let i = 0; i < BIG; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, BIG - i) }, () => ({ task, input: { tenant: 'big' } }))
    await app.client.enqueueMany(batch)
  }
  const workers = Array.from({ length: 4 }, () => app.worker({ concurrency: 10 }))
  await Promise.all(workers.map((w) => w.start()))
  while (finished.length < 20) await Bun.sleep(5)
  const before = finished.length
  const t0 = performance.now()
  await Promise.all(Array.from({ length: SMALL }, () => bound.enqueue({ tenant: 'small' })))
  while (finished.filter((t) => t === 'small').length < SMALL) await Bun.sleep(5)
  const smallMs = performance.now() - t0
  await Promise.all(workers.map((w) => w.stop()))
  await app.close()
  const bigMeanwhile = finished.slice(before, finished.lastIndexOf('small')).filter((t) => t === 'big').length
  return { smallMs, bigMeanwhile, peak }
}

/** Drains 10,000 no-op tasks of 100 tenants (capped per tenant or not): Redis CPU and wall time per task. */
async function drainCost(broker: string, fair: boolean, serverCpuUs: () => Promise<number>) {
  const N = 10_000
  let done = 0
  const Input = z.object({ tenant: z.string() })
  const spec = { name: 'bench.drain', input: Input, run: () => void done++ }
  const task = fair
    ? defineTask({ ...spec, concurrencyKey: ({ tenant }) => tenant, concurrency: PER_KEY })
    : defineTask(spec)
  const app = createCeleriac({ broker })
  app.task(task)
  for (let i = 0; i < N; i += 1_000) {
    await app.client.enqueueMany(
      Array.from({ length: 1_000 }, (_, j) => ({ task, input: { tenant: `t${(i + j) % 100}` } })),
    )
  }
  const workers = Array.from({ length: 4 }, () => app.worker({ concurrency: 10 }))
  await Promise.all(workers.map((w) => w.start()))
  const cpu0 = await serverCpuUs()
  const t0 = performance.now()
  while (done < N) await Bun.sleep(5)
  const ms = performance.now() - t0
  const us = ((await serverCpuUs()) - cpu0) / N
  await Promise.all(workers.map((w) => w.stop()))
  await app.close()
  return { perSec: (N / ms) * 1000, us }
}

function print(engine: string, fair: boolean, o: Outcome) {
  const mode = fair ? `fair (${PER_KEY} per tenant)` : 'plain FIFO'
  console.log(
    `${engine.padEnd(6)} ${mode.padEnd(20)} small tenant's ${SMALL}: ${Math.round(o.smallMs)} ms | big ended meanwhile: ${o.bigMeanwhile} | peak running big/small: ${o.peak.big}/${o.peak.small}`,
  )
}

const load = (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')
console.log(
  `fairness: ${BIG.toLocaleString('en-US')} big-tenant tasks then ${SMALL} small, 4 workers x -c 10, 5 ms tasks, load ${load}, ${new Date().toISOString()}`,
)
const redis = await startBenchRedis()
try {
  for (const fair of [true, false]) {
    const prefix = `fairbench-${fair ? 'fair' : 'plain'}`
    print('redis', fair, await run(`${redis.url}?prefix=${prefix}`, fair))
  }
  for (const fair of [true, false]) {
    const prefix = `fairdrain-${fair ? 'fair' : 'plain'}`
    const d = await drainCost(`${redis.url}?prefix=${prefix}`, fair, () => redis.cpuUs())
    const mode = fair ? `capped, ${PER_KEY} per tenant` : 'uncapped'
    console.log(
      `redis  drain 10,000 no-op tasks of 100 tenants, ${mode.padEnd(20)} ${Math.round(d.perSec).toLocaleString('en-US')} tasks/s | redis CPU ${d.us.toFixed(1)} us/task`,
    )
  }
} finally {
  await redis.stop()
}
for (const fair of [true, false]) {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-fair-bench-'))
  try {
    print('sqlite', fair, await run(`sqlite://${join(dir, 'q.db')}`, fair))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
