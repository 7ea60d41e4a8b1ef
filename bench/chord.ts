/**
 * A chord of N no-op members on a private Redis and on SQLite: the time from starting the
 * workflow to its callback's SUCCESS, and what it cost per member (Redis server CPU from INFO;
 * on SQLite the broker runs in this process, so its CPU is this process's). One process runs the
 * producer and a worker at concurrency 50.
 *
 *   bun bench/chord.ts [--members 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chord, createCeleriac, sig } from '../src/index.ts'
import { startBenchRedis } from './vs-bullmq/redis-server.ts'

const { values } = parseArgs({ options: { members: { type: 'string', default: '10000' } } })
const N = Number(values.members)

async function run(broker: string, serverCpuUs: () => Promise<number>) {
  const app = createCeleriac({ broker })
  const worker = app.worker({ concurrency: 50 })
  await worker.start()
  const cpu0 = await serverCpuUs()
  const self0 = process.cpuUsage()
  const t0 = performance.now()
  const flow = await app.workflow(
    chord(
      Array.from({ length: N }, (_, i) => sig('debug.noop', { i })),
      sig('debug.noop', {}),
    ),
  )
  const started = performance.now() - t0
  const view = await flow.wait({ timeout: 600_000, interval: 250 })
  const ms = performance.now() - t0
  const self = process.cpuUsage(self0)
  const serverUs = (await serverCpuUs()) - cpu0
  await worker.stop()
  await app.close()
  if (view.state !== 'SUCCESS') throw new Error(`chord ended ${view.state}`)
  return { ms, started, serverUs, selfUs: self.user + self.system }
}

const load = (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')
console.log(
  `chord of ${N.toLocaleString('en-US')} debug.noop members, worker -c 50 in-process, load ${load}, ${new Date().toISOString()}`,
)
const redis = await startBenchRedis()
try {
  const r = await run(`${redis.url}?prefix=chordbench`, () => redis.cpuUs())
  console.log(
    `redis   start ${Math.round(r.started)} ms | enqueue -> callback ${(r.ms / 1000).toFixed(2)} s (${Math.round((N / r.ms) * 1000).toLocaleString('en-US')} members/s) | redis CPU ${(r.serverUs / N).toFixed(1)} us/member | process CPU ${(r.selfUs / N).toFixed(1)} us/member`,
  )
} finally {
  await redis.stop()
}
const dir = mkdtempSync(join(tmpdir(), 'celeriac-chord-bench-'))
try {
  const s = await run(`sqlite://${join(dir, 'q.db')}`, async () => 0)
  console.log(
    `sqlite  start ${Math.round(s.started)} ms | enqueue -> callback ${(s.ms / 1000).toFixed(2)} s (${Math.round((N / s.ms) * 1000).toLocaleString('en-US')} members/s) | process CPU (broker included) ${(s.selfUs / N).toFixed(1)} us/member`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
