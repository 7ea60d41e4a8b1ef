/**
 * HTTP enqueue throughput of `celeriac api`: autocannon POSTs debug.noop to /api/v1/tasks/debug.noop
 * for 20 s over 50 connections and reports requests/s and latency p50/p99. The api runs as its
 * own process (as in production), on the SQLite broker unless --broker says otherwise.
 *
 *   bun bench/http-enqueue.ts [--bin dist/celeriac] [--broker URL] [--duration 20] [--connections 50]
 *
 * autocannon runs under Node when it is installed (its usual runtime), else under Bun.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    bin: { type: 'string' },
    broker: { type: 'string' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
  },
})
const TOKEN = 'bench-token-0123456789abcdef'
const dir = mkdtempSync(join(tmpdir(), 'celeriac-bench-http-'))
const broker = values.broker ?? `sqlite://${join(dir, 'bench.db')}`
const command = values.bin ? [values.bin] : [process.execPath, join(import.meta.dir, '../src/main.ts')]

async function startApi(): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = Bun.spawn([...command, 'api', '--port', '0', '--broker', broker], {
    env: { ...process.env, CELERIAC_API_TOKENS: `${TOKEN}:submit` },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const decoder = new TextDecoder()
  let log = ''
  for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
    log += decoder.decode(chunk, { stream: true })
    const port = /api listening on http:\/\/[^:]+:(\d+)/.exec(log)?.[1]
    if (port) return { url: `http://127.0.0.1:${port}`, stop: async () => void proc.kill('SIGTERM') }
  }
  throw new Error(`celeriac api did not start:\n${log}`)
}

interface Result {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number; average: number }
  non2xx: number
  errors: number
}

function autocannon(url: string, seconds: string): Result {
  const runtime = Bun.which('node') ?? process.execPath
  const cli = join(import.meta.dir, '../node_modules/autocannon/autocannon.js')
  const args = ['-c', values.connections as string, '-d', seconds, '-m', 'POST', '-b', '{}', '-j']
  const headers = ['-H', `authorization=Bearer ${TOKEN}`, '-H', 'content-type=application/json']
  const run = Bun.spawnSync([runtime, cli, ...args, ...headers, `${url}/api/v1/tasks/debug.noop`])
  if (run.exitCode !== 0) throw new Error(`autocannon failed: ${run.stderr.toString()}`)
  return JSON.parse(run.stdout.toString()) as Result
}

const api = await startApi()
try {
  autocannon(api.url, '2') // warm-up: JIT, SQLite page cache
  const r = autocannon(api.url, values.duration as string)
  const rate = Math.round(r.requests.average).toLocaleString('en-US')
  console.log(
    `HTTP enqueue (${broker.split(':')[0]}, ${values.connections} connections, ${values.duration} s): ` +
      `${rate} requests/s, latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
      `${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors`,
  )
} finally {
  await api.stop()
  rmSync(dir, { recursive: true, force: true })
}
