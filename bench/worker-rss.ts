/**
 * Peak RSS of one worker process draining N debug.noop tasks at -c 50 on Redis: the tasks are
 * queued first, then the worker command given after the flags is started (the compiled binary by
 * default) and its VmHWM read from /proc until every task has succeeded. Also prints its idle
 * peak: the same command with nothing to do, after 2 s. Linux only (reads /proc).
 *
 *   bun bench/worker-rss.ts [--tasks 20000] [--url redis://127.0.0.1:6379/0] [-- dist/celeriac]
 *
 * Runs under its own key prefix and deletes its keys afterwards.
 */

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { createCeleriac } from '../src/index.ts'
import { deleteMatching } from './delete-matching.ts'
import { peakRssMb } from './peak-rss.ts'

const { values, positionals } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    url: { type: 'string', default: 'redis://127.0.0.1:6379/0' },
  },
  allowPositionals: true,
})
const N = Number(values.tasks)
const command = positionals.length > 0 ? positionals : ['dist/celeriac']

function startWorker(url: string) {
  return Bun.spawn([...command, 'worker', '-c', '50'], {
    env: { ...process.env, CELERIAC_BROKER_URL: url },
    stdout: 'ignore',
    stderr: 'ignore',
  })
}

/** The bench URL under its own key prefix (keeping the URL's other parameters, e.g. `client=bun`). */
const withPrefix = (prefix: string): string =>
  `${values.url}${values.url?.includes('?') ? '&' : '?'}prefix=${prefix}`

async function cleanUp(prefix: string) {
  const admin = new Redis(values.url?.split('?')[0] as string)
  await deleteMatching(admin, `*${prefix}*`)
  admin.disconnect()
}

async function idlePeak(): Promise<number> {
  const prefix = `worker-rss-idle-${Date.now().toString(36)}`
  const proc = startWorker(withPrefix(prefix))
  await Bun.sleep(2_000)
  const peak = peakRssMb(proc.pid)
  proc.kill('SIGTERM')
  await proc.exited
  await cleanUp(prefix)
  return peak
}

async function drainPeak(): Promise<{ peak: number; ms: number }> {
  const prefix = `worker-rss-${Date.now().toString(36)}`
  const url = withPrefix(prefix)
  const app = createCeleriac({ broker: url })
  const ids: string[] = []
  for (let i = 0; i < N; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, N - i) }, () => ({ task: 'debug.noop', input: {} }))
    ids.push(...(await app.client.enqueueMany(batch)).map((h) => h.id))
  }
  const watched = [ids[0], ids[ids.length >> 1], ids[ids.length - 1]] as string[]
  const proc = startWorker(url)
  const t0 = performance.now()
  let peak = 0
  let ms = Number.NaN
  while (performance.now() - t0 < 120_000) {
    await Bun.sleep(50)
    peak = Math.max(peak, peakRssMb(proc.pid))
    const states = await Promise.all(watched.map(async (id) => (await app.broker.getResult(id))?.state))
    if (states.every((s) => s === 'SUCCESS')) {
      ms = performance.now() - t0
      await Bun.sleep(300)
      peak = Math.max(peak, peakRssMb(proc.pid))
      break
    }
  }
  proc.kill('SIGTERM')
  await proc.exited
  await app.close()
  await cleanUp(prefix)
  return { peak, ms }
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
console.log(`worker RSS: ${command.join(' ')} worker -c 50, load ${load}, ${new Date().toISOString()}`)
console.log(`idle (2 s after start): peak ${(await idlePeak()).toFixed(0)} MB`)
const drained = await drainPeak()
console.log(
  `draining ${N.toLocaleString('en-US')} debug.noop: peak ${drained.peak.toFixed(0)} MB, all done ${Math.round(drained.ms)} ms after the start`,
)
