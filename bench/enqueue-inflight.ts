/**
 * One-at-a-time enqueue with many in flight, as a web backend does under load: N debug.noop
 * enqueues from one process with `--inflight` awaiting at once, on SQLite (synchronous=FULL) and
 * Redis, each through the client (concurrent enqueues of one event-loop turn share one broker
 * batch) and, for comparison, straight to the broker one message per call (no group commit).
 *
 *   bun bench/enqueue-inflight.ts [--tasks 20000] [--inflight 1000] [--redis redis://127.0.0.1:6379/2]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createBroker } from '../src/brokers/create-broker.ts'
import { Client } from '../src/client/client.ts'
import { buildMessage } from '../src/core/build-message.ts'
import { systemClock } from '../src/core/clock.ts'
import { createBuiltinRegistry } from '../src/tasks/index.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    inflight: { type: 'string', default: '1000' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/2' },
  },
})
const N = Number(values.tasks)
const INFLIGHT = Number(values.inflight)
const registry = createBuiltinRegistry()
const noop = registry.get('debug.noop')
if (!noop) throw new Error('debug.noop is not registered')

const ENGINES = ['sqlite', 'redis', 'redis (client=bun)'] as const

async function run(engine: (typeof ENGINES)[number], grouped: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-enqueue-bench-'))
  const url =
    engine === 'sqlite'
      ? `sqlite://${join(dir, 'q.db')}`
      : `${values.redis}?prefix=enqbench${process.pid}${grouped}${engine === 'redis' ? '' : '&client=bun'}`
  const broker = createBroker(url, { clock: systemClock })
  const client = new Client({ broker, registry })
  const one = grouped
    ? () => client.enqueue(noop as never, {})
    : () => broker.enqueue([buildMessage(noop as never, {}, {}, systemClock)])
  let next = 0
  const lane = async () => {
    while (next < N) {
      next++
      await one()
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: Math.min(INFLIGHT, N) }, lane))
  const perSec = (N / (performance.now() - t0)) * 1000
  await broker.purge('default')
  await broker.close()
  rmSync(dir, { recursive: true, force: true })
  return perSec
}

const load = (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')
console.log(`${N} enqueues, ${INFLIGHT} in flight, load ${load}, ${new Date().toISOString()}`)
for (const engine of ENGINES) {
  const single = await run(engine, false)
  const grouped = await run(engine, true)
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  console.log(
    `${engine.padEnd(18)} one message per broker call ${f(single)}/s | through the client (group commit) ${f(grouped)}/s | ${(grouped / single).toFixed(1)}x`,
  )
}
