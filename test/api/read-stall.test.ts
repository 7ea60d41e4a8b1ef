import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiSettings } from '../../src/api/api-settings.ts'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createApi } from '../../src/server/create-api.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { rawMessage } from '../brokers/raw-message.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'
import { TOKENS } from './api-harness.ts'
import { sseFrames } from './sse-frames.ts'

/**
 * Read-only requests must not hold up the rest of the api: while many searches scan the whole
 * history, or many event streams replay it from the start, /healthz and an enqueue still answer.
 * Over a real HTTP server (Bun.serve), as clients meet it. No timings are asserted: only that the
 * probes complete while the reads are still in flight.
 */
const TASKS = 3_000
const cleanups: (() => Promise<void> | void)[] = []
const prefixes: string[] = []
// Closing an api that served 20 replaying streams can take seconds on a loaded machine.
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
}, 30_000)
afterAll(() => deleteKeys(REDIS_URL, prefixes))

const engines: Record<string, () => BrokerEngine> = {
  sqlite: () => {
    const path = join(tmpdir(), `celeriac-stall-${process.pid}-${Bun.randomUUIDv7()}.db`)
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
    })
    return createSqliteBroker({ path, clock: systemClock })
  },
  redis: () => {
    const prefix = testPrefix('stall')
    prefixes.push(prefix)
    return createRedisBroker({ url: REDIS_URL, clock: systemClock, prefix })
  },
}

/** An api over `engine` with TASKS stored tasks (and their events), served on a free port. */
async function serve(engine: string, settings: Partial<ApiSettings> = {}) {
  const broker = (engines[engine] as () => BrokerEngine)()
  const queue = `stall-${Bun.randomUUIDv7()}`
  for (let done = 0; done < TASKS; done += 500) {
    const batch = Array.from({ length: 500 }, (_, i) =>
      rawMessage(queue, Date.now(), { task: 'debug.noop', input: { order: done + i, note: 'x'.repeat(40) } }),
    )
    await broker.enqueue(batch)
  }
  const config = loadConfig({ env: { CELERIAC_API_TOKENS: `${TOKENS.both}:read+submit` }, flags: {} })
  const api = createApi({ broker, registry: createBuiltinRegistry(), config, clock: systemClock, settings })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: api.app.fetch, idleTimeout: 60 })
  const aborts = new AbortController()
  cleanups.push(async () => {
    aborts.abort()
    server.stop(true)
    api.close()
    await api.tail.stop()
    await broker.close()
  })
  const url = `http://127.0.0.1:${server.port}`
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${TOKENS.both}`, ...headers },
      signal: aborts.signal,
    })
  const enqueue = () =>
    fetch(`${url}/api/v1/tasks/debug.noop`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.both}`,
        'content-type': 'application/json',
        'celeriac-queue': queue,
      },
      body: '{}',
      signal: aborts.signal,
    })
  return { url, get, enqueue, broker }
}

/** Resolves with the probes' statuses and how many reads had finished when each probe answered. */
async function probeWhile(reads: Promise<unknown>[], probes: (() => Promise<Response>)[]) {
  let finished = 0
  for (const read of reads)
    read.then(
      () => finished++,
      () => finished++,
    )
  const answers = await Promise.all(
    probes.map(async (probe) => {
      const response = await probe()
      return { status: response.status, finishedReads: finished }
    }),
  )
  await Promise.all(reads)
  return answers
}

for (const engine of Object.keys(engines)) {
  describe(`reads do not stall the api (${engine})`, () => {
    test('/healthz and an enqueue answer while 8 searches scan the whole history', async () => {
      const api = await serve(engine)
      const searches = Array.from({ length: 8 }, () =>
        api.get('/api/v1/tasks?q=no-such-text-anywhere&limit=50').then((r) => r.json()),
      )
      const answers = await probeWhile(searches, [() => api.get('/healthz'), () => api.enqueue()])
      expect(answers.map((a) => a.status)).toEqual([200, 202])
      for (const answer of answers) expect(answer.finishedReads).toBeLessThan(searches.length)
    }, 60_000)

    test('/healthz and an enqueue answer while 20 event streams replay from Last-Event-ID 0', async () => {
      const api = await serve(engine, { sseStreamsPerClient: 50, ssePollMs: 20 })
      const newest = (await api.broker.readEvents(null, 100_000)).at(-1)?.seq
      // Each stream counts as read once it has replayed the newest stored event.
      const replays = Array.from({ length: 20 }, async () => {
        const response = await api.get('/api/v1/events', { 'last-event-id': '0' })
        const frames = sseFrames(response.body as ReadableStream<Uint8Array>)
        for (;;) if ((await frames.next(30_000)).id === newest) return frames.cancel()
      })
      const answers = await probeWhile(replays, [() => api.get('/healthz'), () => api.enqueue()])
      expect(answers.map((a) => a.status)).toEqual([200, 202])
      for (const answer of answers) expect(answer.finishedReads).toBeLessThan(replays.length)
    }, 60_000)
  })
}
