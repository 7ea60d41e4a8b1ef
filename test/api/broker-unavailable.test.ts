import { afterEach, describe, expect, test } from 'bun:test'
import { createRedisBroker, type RedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createApi } from '../../src/server/create-api.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { type RedisServerProcess, startRedisServer } from '../brokers/redis-server-process.ts'

const TOKEN = 'submit-token-0123456789'
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup() {
  const server: RedisServerProcess = await startRedisServer([
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
  ])
  cleanups.push(() => server.stop())
  const broker: RedisBroker = createRedisBroker({
    url: server.url,
    clock: systemClock,
    commandTimeoutMs: 500,
  })
  cleanups.push(() => Promise.race([broker.close().catch(() => {}), Bun.sleep(2_000)]))
  const config = loadConfig({ env: { CELERIAC_API_TOKENS: `${TOKEN}:read+submit` }, flags: {} })
  const api = createApi({ broker, registry: createBuiltinRegistry(), config })
  cleanups.push(async () => {
    api.close()
    await api.tail.stop()
  })
  const enqueue = async (key: string) => {
    const res = await api.app.request('/api/v1/tasks/debug.noop', {
      method: 'POST',
      body: '{}',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
    })
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as Record<string, unknown>,
    }
  }
  return { server, enqueue }
}

describe('api while the broker is down or stalled', () => {
  test('answers 503 with Retry-After while Redis is stalled or killed; a retry with the same key gets the stored task', async () => {
    const { server, enqueue } = await setup()
    const first = await enqueue('before-outage')
    expect(first.status).toBe(202)

    // Stalled (SIGSTOP): the command reaches the server's socket but gets no reply in time.
    process.kill(server.pid(), 'SIGSTOP')
    let stalled: Awaited<ReturnType<typeof enqueue>>
    try {
      stalled = await enqueue('during-stall')
    } finally {
      process.kill(server.pid(), 'SIGCONT')
    }
    expect(stalled.status).toBe(503)
    expect(stalled.retryAfter).toMatch(/^\d+$/)
    expect(stalled.body).toMatchObject({ error: 'unavailable' })
    // The stalled server ran the command once resumed: the retry answers with that stored task.
    const retried = await enqueue('during-stall')
    expect(retried.status).toBe(200)
    expect(retried.body).toMatchObject({ created: false })

    // Killed: refused connections are a 503 too, never a 500.
    await server.kill9()
    const down = await enqueue('while-down')
    expect(down.status).toBe(503)
    expect(down.retryAfter).toMatch(/^\d+$/)
    expect(JSON.stringify(down.body)).not.toContain('stack')

    await server.restart()
    let again = await enqueue('before-outage')
    for (let i = 0; i < 40 && again.status === 503; i++) {
      await Bun.sleep(100)
      again = await enqueue('before-outage')
    }
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ task_id: first.body.task_id, created: false })
  }, 30_000)
})
