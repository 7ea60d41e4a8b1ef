import { describe, expect, test } from 'bun:test'
import { startWorker } from '../worker/helpers.ts'
import { makeApi, TOKENS } from './api-harness.ts'
import { eventsUntil, sseFrames } from './sse-frames.ts'

const fast = { settings: { ssePollMs: 10, sseHeartbeatMs: 100 } }

function open(api: ReturnType<typeof makeApi>, query = '', headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = api.request(`/api/v1/events${query}`, { headers, signal: controller.signal })
  return { response, abort: () => controller.abort() }
}

describe('api events (SSE)', () => {
  test('streams a task’s events in order with seq ids, filtered by task name', async () => {
    const api = makeApi(fast)
    const stream = open(api, '?task=debug.sleep')
    const res = await stream.response
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const frames = sseFrames(res.body as ReadableStream<Uint8Array>)
    await api.post('/api/v1/tasks/debug.noop', {})
    const id = (await (await api.post('/api/v1/tasks/debug.sleep', { ms: 1 })).json()).task_id
    startWorker(api.broker)
    const seen = await eventsUntil(frames, (f) => f.event === 'task:succeeded')
    const types = seen.map((f) => f.event)
    expect(types[0]).toBe('task:enqueued')
    expect(types).toContain('task:received')
    expect(seen.every((f) => JSON.parse(f.data as string).task === 'debug.sleep')).toBe(true)
    expect(JSON.parse(seen[0]?.data as string)).toMatchObject({ task_id: id, queue: 'default' })
    const seqs = seen.map((f) => Number(f.id))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    stream.abort()
  })

  test('resumes after Last-Event-ID, and sends keep-alive comments when idle', async () => {
    const api = makeApi(fast)
    const live = open(api)
    const frames = sseFrames((await live.response).body as ReadableStream<Uint8Array>)
    for (let i = 0; i < 3; i++) await api.post('/api/v1/tasks/debug.sleep', { ms: i })
    let count = 0
    const three = await eventsUntil(frames, () => ++count === 3)
    live.abort()
    const resumed = open(api, '', { 'last-event-id': three[0]?.id as string })
    const again = sseFrames((await resumed.response).body as ReadableStream<Uint8Array>)
    const next = await eventsUntil(again, (f) => f.id === three[2]?.id)
    expect(next.map((f) => f.id)).toEqual([three[1]?.id, three[2]?.id])
    expect((await again.next()).comment).toBe('keep-alive')
    resumed.abort()
  })

  test('ends its polling when the client disconnects', async () => {
    const api = makeApi(fast)
    let reads = 0
    const readEvents = api.broker.readEvents.bind(api.broker)
    api.broker.readEvents = (after, limit) => {
      reads++
      return readEvents(after, limit)
    }
    const stream = open(api)
    const frames = sseFrames((await stream.response).body as ReadableStream<Uint8Array>)
    expect((await frames.next()).comment).toBe('connected')
    expect((await frames.next()).comment).toBe('keep-alive')
    await frames.cancel()
    stream.abort()
    await Bun.sleep(50)
    const after = reads
    await Bun.sleep(150)
    expect(reads).toBe(after)
  })

  test('needs the read scope', async () => {
    const api = makeApi(fast)
    expect((await api.request('/api/v1/events', { token: TOKENS.submit })).status).toBe(403)
  })
})
