/**
 * How much read-only traffic delays the rest of `celeriac api`: /healthz latency p50/p99 (and the
 * slowest enqueue) while idle, under 4 loops of `GET /api/v1/tasks?q=…` (a search matching nothing,
 * so it scans the whole history), and with 100 event streams replaying from `Last-Event-ID: 0`.
 * The api runs as its own process over a SQLite file (or --broker) prefilled with --tasks tasks.
 *
 *   bun bench/read-stall.ts [--tasks 45000] [--seconds 5] [--streams 100] [--broker URL] [--bin dist/celeriac]
 *                           [--db FILE]
 *
 * --db keeps the SQLite file: a second run (another build, through --bin) reuses its tasks, so
 * runs compare on the same data without prefilling again.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createBroker } from '../src/brokers/create-broker.ts'
import { systemClock } from '../src/core/clock.ts'
import type { TaskMessage } from '../src/core/message.ts'
import { rawMessage } from '../test/brokers/raw-message.ts'

const { values } = parseArgs({
  options: {
    bin: { type: 'string' },
    broker: { type: 'string' },
    tasks: { type: 'string', default: '45000' },
    seconds: { type: 'string', default: '5' },
    streams: { type: 'string', default: '100' },
    db: { type: 'string' },
  },
})
const TOKEN = 'bench-token-0123456789abcdef'
const dir = mkdtempSync(join(tmpdir(), 'celeriac-bench-stall-'))
const dbFile = values.db ?? join(dir, 'bench.db')
const brokerUrl = values.broker ?? `sqlite://${dbFile}`
const command = values.bin ? [values.bin] : [process.execPath, join(import.meta.dir, '../src/main.ts')]
const seconds = Number(values.seconds)
const auth = { authorization: `Bearer ${TOKEN}` }

function message(i: number, queue: string): TaskMessage {
  const input = { order: i, customer: `customer-${i % 997}`, note: 'x'.repeat(64) }
  return rawMessage(queue, Date.now(), { task: 'debug.noop', input })
}

/** Tasks on a queue no worker serves, so they stay in the history the searches scan. */
async function prefill(count: number): Promise<string> {
  const queue = `bench-stall-${process.pid}`
  const broker = await createBroker(brokerUrl, { clock: systemClock })
  for (let done = 0; done < count; done += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - done) }, (_, k) => message(done + k, queue))
    await broker.enqueue(batch)
  }
  await broker.close()
  return queue
}

async function startApi(): Promise<{ url: string; stop: () => void }> {
  const proc = Bun.spawn([...command, 'api', '--port', '0', '--broker', brokerUrl], {
    env: { ...process.env, CELERIAC_API_TOKENS: `${TOKEN}:read+submit` },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const decoder = new TextDecoder()
  let log = ''
  for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
    log += decoder.decode(chunk, { stream: true })
    const port = /api listening on http:\/\/[^:]+:(\d+)/.exec(log)?.[1]
    if (port) return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill('SIGTERM') }
  }
  throw new Error(`celeriac api did not start:\n${log}`)
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN

/** /healthz one request at a time for `seconds`, plus one enqueue every 250 ms. */
async function probe(url: string, label: string): Promise<void> {
  const health: number[] = []
  const enqueues: number[] = []
  const until = performance.now() + seconds * 1000
  const enqueueLoop = (async () => {
    while (performance.now() < until) {
      const t0 = performance.now()
      const r = await fetch(`${url}/api/v1/tasks/debug.noop`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'celeriac-queue': 'bench-probe' },
        body: '{}',
      })
      await r.arrayBuffer()
      enqueues.push(performance.now() - t0)
      await Bun.sleep(250)
    }
  })()
  while (performance.now() < until) {
    const t0 = performance.now()
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) }).catch(() => null)
    await r?.arrayBuffer()
    health.push(performance.now() - t0)
    await Bun.sleep(10)
  }
  await enqueueLoop
  health.sort((a, b) => a - b)
  const f = (n: number) => `${n.toFixed(1)} ms`
  console.log(
    `${label.padEnd(34)} healthz n=${String(health.length).padStart(4)} p50 ${f(percentile(health, 50))}` +
      `  p99 ${f(percentile(health, 99))}  max ${f(health.at(-1) ?? Number.NaN)}` +
      `  | enqueue n=${enqueues.length} max ${f(Math.max(...enqueues))}`,
  )
}

/** `loops` clients repeating a search that matches nothing, following next_cursor, until stopped. */
function searchLoops(url: string, loops: number, stop: AbortSignal): Promise<number[]> {
  return Promise.all(
    Array.from({ length: loops }, async () => {
      let pages = 0
      let cursor: string | null = null
      while (!stop.aborted) {
        const query = `q=no-such-text-anywhere&limit=50${cursor ? `&cursor=${cursor}` : ''}`
        const r = await fetch(`${url}/api/v1/tasks?${query}`, { headers: auth, signal: stop }).catch(
          () => null,
        )
        const body = (await r?.json().catch(() => null)) as { next_cursor?: string | null } | null
        cursor = body?.next_cursor ?? null
        pages++
      }
      return pages
    }),
  )
}

/** `count` SSE clients replaying from the start and reading everything they are sent. */
function replayStreams(url: string, count: number, stop: AbortSignal): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      let bytes = 0
      const r = await fetch(`${url}/api/v1/events`, {
        headers: { ...auth, 'last-event-id': '0' },
        signal: stop,
      }).catch(() => null)
      if (!r?.ok || !r.body) return -(r?.status ?? 0)
      try {
        for await (const chunk of r.body) bytes += chunk.byteLength
      } catch {}
      return bytes
    }),
  )
}

const total = Number(values.tasks)
if (values.broker || !existsSync(dbFile)) {
  console.log(`prefilling ${total} tasks on ${brokerUrl.replace(/:[^:@/]*@/, ':***@')} ...`)
  await prefill(total)
} else console.log(`reusing the tasks in ${dbFile}`)
const api = await startApi()
try {
  await probe(api.url, 'idle')
  const searching = new AbortController()
  const searches = searchLoops(api.url, 4, searching.signal)
  await probe(api.url, '4 search loops (q=, no match)')
  searching.abort()
  const pages = await searches
  console.log(`  search pages answered per loop: ${pages.join(', ')}`)
  const replaying = new AbortController()
  const streams = replayStreams(api.url, Number(values.streams), replaying.signal)
  await probe(api.url, `${values.streams} streams, Last-Event-ID: 0`)
  replaying.abort()
  const outcomes = await streams
  const refused = outcomes.filter((n) => n < 0)
  console.log(
    `  streams: ${outcomes.length - refused.length} served (${outcomes.filter((n) => n >= 0).reduce((a, b) => a + b, 0)} bytes), ${refused.length} refused (${[...new Set(refused.map((n) => -n))].join(', ') || '-'})`,
  )
} finally {
  api.stop()
  rmSync(dir, { recursive: true, force: true })
}
