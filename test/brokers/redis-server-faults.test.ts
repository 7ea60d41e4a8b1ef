import { afterEach, describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { ApiMetrics } from '../../src/api/metrics/api-metrics.ts'
import { openBroker } from '../../src/brokers/create-broker.ts'
import type { RedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import { CeleriacError } from '../../src/core/errors.ts'
import { createLogger } from '../../src/core/logger.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { createWorker } from '../../src/worker/worker.ts'
import { waitFor } from '../worker/helpers.ts'
import { type RedisServerProcess, redisCli, startRedisServer } from './redis-server-process.ts'
import { withClient } from './redis-support.ts'

const servers: RedisServerProcess[] = []
const brokers: RedisBroker[] = []

afterEach(async () => {
  try {
    // A close on a dead server must not keep the servers alive: bounded, and the stops run anyway.
    const closes = Promise.all(brokers.splice(0).map((b) => b.close().catch(() => {})))
    await Promise.race([closes, Bun.sleep(2_000)])
  } finally {
    for (const s of servers.splice(0)) await s.stop()
  }
})

async function server(args: string[] = []): Promise<RedisServerProcess> {
  const s = await startRedisServer(args)
  servers.push(s)
  return s
}

function broker(url: string, client: 'ioredis' | 'bun' = 'ioredis'): RedisBroker {
  const b = createRedisBroker({ url: withClient(url, client), clock: systemClock })
  brokers.push(b)
  return b
}

const noop = defineTask({ name: 'test.noop', input: z.object({}), run: async () => null })

// Both clients: Bun's built-in one must come back from the same faults as ioredis.
describe.each(['ioredis', 'bun'] as const)('redis broker against server faults (client=%s)', (client) => {
  test('every acknowledged enqueue survives kill -9 of an appendfsync-always server', async () => {
    const s = await server(['--appendonly', 'yes', '--appendfsync', 'always'])
    const b = broker(s.url, client)
    const acked: string[] = []
    let failed = 0
    let next = 0
    const produce = async () => {
      while (next < 10_000) {
        next++
        const m = buildMessage(noop, {}, {}, systemClock)
        try {
          await b.enqueue([m])
          acked.push(m.id)
        } catch {
          failed++
        }
      }
    }
    const producers = Array.from({ length: 20 }, produce)
    await waitFor('a few thousand acks', () => acked.length >= 3_000, 15_000)
    await s.kill9()
    const ackedAtKill = acked.length
    await Bun.sleep(300)
    await s.restart()
    await Promise.all(producers)
    const missing: string[] = []
    for (let i = 0; i < acked.length; i += 500) {
      const chunk = acked.slice(i, i + 500)
      const found = await Promise.all(chunk.map((id) => b.getResult(id)))
      missing.push(...chunk.filter((_, j) => found[j] === null))
    }
    console.log(
      `kill -9: ${acked.length} acknowledged, ${failed} failed during the outage, ${missing.length} lost`,
    )
    // Killed mid-stream; enqueues in flight then either failed fast or went through after the restart.
    expect(ackedAtKill).toBeLessThan(10_000)
    expect(missing).toEqual([])
  }, 30_000)

  test('a worker resumes consuming within 5 s after CLIENT KILL of every connection', async () => {
    const s = await server()
    const b = broker(s.url, client)
    let done = 0
    const counting = defineTask({ name: 'test.count', input: z.object({}), run: async () => void done++ })
    const worker = createWorker({
      broker: b,
      registry: createBuiltinRegistry([counting]),
      queues: ['default'],
      concurrency: 20,
      leaseMs: 5_000,
    })
    await worker.start()
    const batch = () => Array.from({ length: 50 }, () => buildMessage(counting, {}, {}, systemClock))
    try {
      await b.enqueue(batch())
      await waitFor('first batch', () => done >= 50, 5_000)
      for (let round = 0; round < 3; round++) {
        // Idle worker (parked in a blocking wait) and busy worker both must come back.
        expect(await redisCli(s.port, 'client', 'kill', 'type', 'normal')).not.toBe('0')
        const before = done
        const killedAt = Date.now()
        await waitFor(
          'enqueue after the kill',
          async () =>
            b.enqueue(batch()).then(
              () => true,
              () => false,
            ),
          5_000,
        )
        await waitFor('consumption to resume', () => done >= before + 50, 5_000)
        expect(Date.now() - killedAt).toBeLessThan(5_000)
      }
    } finally {
      await worker.stop()
    }
  }, 30_000)

  test('a worker resumes consuming within 5 s after the server restarts', async () => {
    const s = await server(['--appendonly', 'yes'])
    const b = broker(s.url, client)
    let done = 0
    const counting = defineTask({ name: 'test.count', input: z.object({}), run: async () => void done++ })
    const registry = createBuiltinRegistry([counting])
    const worker = createWorker({ broker: b, registry, queues: ['default'], concurrency: 10, leaseMs: 5_000 })
    await worker.start()
    const batch = () => Array.from({ length: 20 }, () => buildMessage(counting, {}, {}, systemClock))
    try {
      await b.enqueue(batch())
      await waitFor('first batch', () => done >= 20, 5_000)
      await s.kill9()
      await Bun.sleep(1_500)
      await s.restart()
      const restartedAt = Date.now()
      await waitFor(
        'enqueue after the restart',
        async () =>
          b.enqueue(batch()).then(
            () => true,
            () => false,
          ),
        5_000,
      )
      await waitFor('consumption to resume', () => done >= 40, 5_000)
      expect(Date.now() - restartedAt).toBeLessThan(5_000)
    } finally {
      await worker.stop()
    }
  }, 30_000)

  test('enqueue fails fast while the server is down, instead of hanging', async () => {
    const s = await server()
    const b = broker(s.url, client)
    await b.ping()
    await s.kill9()
    const started = Date.now()
    await expect(b.enqueue([buildMessage(noop, {}, {}, systemClock)])).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  test('a command to a stalled server (SIGSTOP) fails after the command timeout, and the connection recovers', async () => {
    const s = await server()
    const b = createRedisBroker({ url: withClient(s.url, client), clock: systemClock, commandTimeoutMs: 500 })
    brokers.push(b)
    await b.ping()
    process.kill(s.pid(), 'SIGSTOP')
    try {
      const started = Date.now()
      await expect(b.enqueue([buildMessage(noop, {}, {}, systemClock)])).rejects.toThrow()
      // The timeout plus the watchdog's period at most, never the OS's TCP timeout.
      expect(Date.now() - started).toBeLessThan(3_000)
    } finally {
      process.kill(s.pid(), 'SIGCONT')
    }
    await waitFor(
      'an enqueue after the stall',
      async () =>
        b.enqueue([buildMessage(noop, {}, {}, systemClock)]).then(
          () => true,
          () => false,
        ),
      5_000,
    )
  })

  test('refuses a server whose maxmemory-policy evicts, unless eviction is allowed', async () => {
    const s = await server(['--maxmemory-policy', 'allkeys-lru'])
    const warnings: string[] = []
    const log = createLogger({ write: (line) => warnings.push(line) })
    const error = await openBroker(withClient(s.url, client), { clock: systemClock, log }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(CeleriacError)
    expect((error as Error).message).toContain('maxmemory-policy must be noeviction (got allkeys-lru)')
    const allowed = await openBroker(withClient(s.url, client), {
      clock: systemClock,
      log,
      allowEviction: true,
    })
    // The api's /metrics reports it as celeriac_broker_unsafe_config 1.
    expect(allowed.unsafeConfig).toBe(true)
    const metrics = new ApiMetrics(10_000)
    expect(await metrics.render(allowed)).toContain('celeriac_broker_unsafe_config 1')
    await allowed.close()
    expect(warnings.some((w) => w.includes('WARNING: maxmemory-policy is allkeys-lru'))).toBe(true)
    expect(warnings.some((w) => w.includes('persistence is off'))).toBe(true)
  })

  test('the CLI exits non-zero naming the setting on an evicting server', async () => {
    const s = await server(['--maxmemory-policy', 'allkeys-lru'])
    const main = new URL('../../src/main.ts', import.meta.url).pathname
    const proc = Bun.spawn([process.execPath, main, 'status', '--broker', s.url], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const stderr = await new Response(proc.stderr).text()
    expect(await proc.exited).not.toBe(0)
    expect(stderr).toContain('maxmemory-policy must be noeviction (got allkeys-lru)')
  })

  test('says it could not verify when CONFIG and INFO are forbidden, and goes on', async () => {
    const s = await server()
    const acl = ['ACL', 'SETUSER', 'app', 'on', '>secret', '~*', '&*', '+@all', '-config', '-info']
    expect(await redisCli(s.port, ...acl)).toBe('OK')
    const warnings: string[] = []
    const url = `redis://app:secret@127.0.0.1:${s.port}/0`
    const b = await openBroker(withClient(url, client), {
      clock: systemClock,
      log: createLogger({ write: (l) => warnings.push(l) }),
    })
    await b.ping()
    await b.close()
    expect(warnings.some((w) => w.includes('could not verify maxmemory-policy'))).toBe(true)
    expect(warnings.some((w) => w.includes('could not verify persistence'))).toBe(true)
  })
})
