import { describe, expect, test } from 'bun:test'
import type { EnqueueOptions } from '../../src/brokers/broker.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { Client } from '../../src/client/client.ts'
import { coalesceEnqueues } from '../../src/client/coalesce-enqueues.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { debugNoop } from '../../src/tasks/debug/debug-tasks.ts'
import { makeApi } from '../api/api-harness.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'
import { makeBroker } from '../worker/helpers.ts'

describe('group commit', () => {
  test('enqueues made in one event-loop turn go to the broker as exactly one batch, later ones as the next', async () => {
    const broker = makeBroker()
    const batches: string[][] = []
    const enqueue = broker.enqueue.bind(broker)
    broker.enqueue = (messages, options) => {
      batches.push(messages.map((m) => m.id))
      return enqueue(messages, options)
    }
    const coalesced = coalesceEnqueues(broker)
    const message = () => buildMessage(debugNoop, {}, {}, systemClock)
    const turn = Array.from({ length: 40 }, () => [message()])
    const outcomes = await Promise.all(turn.map((messages) => coalesced(messages)))
    expect(batches).toEqual([turn.map(([m]) => m?.id as string)])
    // Each caller gets the outcome of its own message.
    expect(outcomes.map(([o]) => o?.id)).toEqual(turn.map(([m]) => m?.id))
    const later = [message(), message()]
    await coalesced(later)
    expect(batches).toHaveLength(2)
    expect(batches[1]).toEqual(later.map((m) => m.id))
  })

  test('stores concurrent enqueues in shared batches, each request getting its own ids', async () => {
    const api = makeApi()
    let calls = 0
    const enqueue = api.broker.enqueue.bind(api.broker)
    api.broker.enqueue = (messages, options) => {
      calls++
      return enqueue(messages, options)
    }
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => api.post('/api/v1/tasks/debug.sleep', { ms: i })),
    )
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(responses.every((r) => r.status === 202)).toBe(true)
    expect(new Set(bodies.map((b) => b.task_id)).size).toBe(40)
    for (const [i, body] of bodies.entries())
      expect((await api.broker.getResult(body.task_id))?.input).toEqual({ ms: i })
    expect(calls).toBeLessThan(40)
  })

  test('keeps Idempotency-Key semantics when the same key arrives twice in one batch', async () => {
    const api = makeApi()
    const headers = { 'idempotency-key': 'same' }
    const [a, b] = await Promise.all([
      api.post('/api/v1/tasks/debug.noop', {}, { headers }),
      api.post('/api/v1/tasks/debug.noop', {}, { headers }),
    ])
    const [x, y] = [await a?.json(), await b?.json()]
    expect(x.task_id).toBe(y.task_id)
    expect([a?.status, b?.status].sort()).toEqual([200, 202])
    expect((await api.broker.listTasks({})).tasks).toHaveLength(1)
  })

  test("the library's client: 200 concurrent enqueues from one process are one broker call, each handle its own task", async () => {
    const broker = makeBroker()
    let calls = 0
    const enqueue = broker.enqueue.bind(broker)
    broker.enqueue = (messages, options) => {
      calls++
      return enqueue(messages, options)
    }
    const client = new Client({ broker, registry: new TaskRegistry([debugNoop]) })
    const handles = await Promise.all(Array.from({ length: 200 }, () => client.enqueue(debugNoop, {})))
    expect(calls).toBe(1)
    expect(new Set(handles.map((h) => h.id)).size).toBe(200)
    for (const h of handles.slice(0, 5)) expect(await h.state()).toBe('PENDING')
  })

  test('an engine that pipelines gets full chunks at once: 250 in one turn on Redis are three calls of 100, 100 and 50', async () => {
    const prefix = testPrefix('coalesce-chunk')
    const broker = createRedisBroker({ url: REDIS_URL, clock: systemClock, prefix })
    try {
      expect(broker.capabilities.enqueueChunk).toBe(100)
      const sizes: number[] = []
      const enqueue = broker.enqueue.bind(broker)
      const counted = {
        ...broker,
        enqueue: (messages: TaskMessage[], options?: EnqueueOptions) => {
          sizes.push(messages.length)
          return enqueue(messages, options)
        },
      }
      const client = new Client({ broker: counted, registry: new TaskRegistry([debugNoop]) })
      const handles = await Promise.all(Array.from({ length: 250 }, () => client.enqueue(debugNoop, {})))
      expect(sizes).toEqual([100, 100, 50])
      expect(new Set(handles.map((h) => h.id)).size).toBe(250)
      expect(await handles[249]?.state()).toBe('PENDING')
    } finally {
      await broker.close()
      await deleteKeys(REDIS_URL, [prefix])
    }
  })
})
