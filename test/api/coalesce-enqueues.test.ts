import { describe, expect, test } from 'bun:test'
import { makeApi } from './api-harness.ts'

describe('api group commit', () => {
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
})
