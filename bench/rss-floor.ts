/**
 * The RSS floor of a compiled Bun worker on Redis: bench/rss-floor/consumer.ts (50 loops of pop,
 * parse, write a result; nothing else) built with `bun build --compile`, its peak RSS read from
 * /proc idle (2 s after start, nothing queued) and while it drains N messages shaped like
 * Celeriac's (~420 bytes of JSON). Compare with `bun bench/worker-rss.ts`: what a worker adds to
 * what the runtime and its Redis client cost by themselves. Linux only (reads /proc).
 *
 *   bun bench/rss-floor.ts [--jobs 50000] [--url redis://127.0.0.1:6379/0]
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { deleteMatching } from './delete-matching.ts'
import { noopMessageJson } from './noop-message.ts'
import { peakRssMb } from './peak-rss.ts'

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50000' },
    url: { type: 'string', default: 'redis://127.0.0.1:6379/0' },
  },
})
const N = Number(values.jobs)
const url = values.url

const dir = mkdtempSync(join(tmpdir(), 'celeriac-rss-floor-'))
const binary = join(dir, 'consumer')
const build = Bun.spawnSync(
  [
    process.execPath,
    'build',
    '--compile',
    '--minify',
    '--bytecode',
    join(import.meta.dir, 'rss-floor/consumer.ts'),
    '--outfile',
    binary,
  ],
  { stdout: 'ignore', stderr: 'inherit' },
)
if (build.exitCode !== 0) throw new Error('bun build --compile failed')

const admin = new Redis(url)
const prefix = `rss-floor-${Date.now().toString(36)}`

async function measure(client: string, jobs: number): Promise<{ peak: number; ms: number }> {
  const list = `${prefix}:${client}:list`
  for (let i = 0; i < jobs; i += 1_000)
    await admin.lpush(list, ...Array.from({ length: Math.min(1_000, jobs - i) }, noopMessageJson))
  // Idle: nothing queued, so it waits for N that never come.
  const proc = Bun.spawn([binary, url, list, `${prefix}:${client}:r:`, String(jobs || N), client], {
    stdout: 'ignore',
    stderr: 'inherit',
  })
  const t0 = performance.now()
  let peak = 0
  if (jobs === 0) {
    await Bun.sleep(2_000)
    peak = peakRssMb(proc.pid)
    proc.kill()
    await proc.exited
  } else {
    const timer = setInterval(() => {
      peak = Math.max(peak, peakRssMb(proc.pid))
    }, 20)
    await proc.exited
    clearInterval(timer)
  }
  return { peak, ms: performance.now() - t0 }
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
console.log(`RSS floor: compiled minimal consumer, 50 loops, load ${load}, ${new Date().toISOString()}`)
try {
  for (const client of ['bun', 'ioredis']) {
    const idle = await measure(client, 0)
    const drain = await measure(client, N)
    console.log(
      `${client.padEnd(8)} idle peak ${idle.peak.toFixed(0)} MB; draining ${N.toLocaleString('en-US')}: peak ${drain.peak.toFixed(0)} MB in ${Math.round(drain.ms)} ms`,
    )
  }
} finally {
  await deleteMatching(admin, `${prefix}*`)
  admin.disconnect()
  rmSync(dir, { recursive: true, force: true })
}
