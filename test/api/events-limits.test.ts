import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../src/config/load-config.ts'
import { rawMessage } from '../brokers/raw-message.ts'
import { makeApi, TOKENS } from './api-harness.ts'
import { eventsUntil, type SseFrame, sseFrames } from './sse-frames.ts'

function open(api: ReturnType<typeof makeApi>, token: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = api.request('/api/v1/events', { token, headers, signal: controller.signal })
  return { response, abort: () => controller.abort() }
}

describe('api events (SSE) limits', () => {
  test('a client past its cap of open streams gets 429 naming the cap; other tokens and closed slots are unaffected', async () => {
    const api = makeApi({ settings: { sseStreamsPerClient: 2, ssePollMs: 10 } })
    const first = open(api, TOKENS.read)
    const second = open(api, TOKENS.read)
    expect((await first.response).status).toBe(200)
    expect((await second.response).status).toBe(200)
    const third = await open(api, TOKENS.read).response
    expect(third.status).toBe(429)
    const body = await third.json()
    expect(body.error).toBe('too_many_streams')
    expect(body.message).toContain('at most 2 event streams')
    const other = open(api, TOKENS.admin)
    expect((await other.response).status).toBe(200)
    first.abort()
    await (await first.response).body?.cancel()
    let again: Response | null = null
    for (let tries = 0; tries < 100 && again?.status !== 200; tries++) {
      await Bun.sleep(20)
      again = await open(api, TOKENS.read).response
    }
    expect(again?.status).toBe(200)
    second.abort()
    other.abort()
  })

  test('a resume from far back replays at most sseReplayMax events, says so, then continues live', async () => {
    const api = makeApi({ settings: { sseReplayMax: 50, ssePollMs: 10 } })
    const queue = `replay-${Bun.randomUUIDv7()}`
    await api.broker.enqueue(Array.from({ length: 300 }, () => rawMessage(queue, Date.now())))
    const newest = (await api.broker.readEvents(null, 1_000)).at(-1)?.seq as string
    const stream = open(api, TOKENS.read, { 'last-event-id': '0' })
    const frames = sseFrames((await stream.response).body as ReadableStream<Uint8Array>)
    const replayed = await eventsUntil(frames, (f) => f.event === 'replay:truncated')
    const notice = replayed.pop() as SseFrame
    expect(replayed).toHaveLength(50)
    expect(notice.id).toBe(newest)
    expect(JSON.parse(notice.data as string)).toMatchObject({ replayed: 50, resumed_after: newest })
    const [live] = await api.broker.enqueue([rawMessage(queue, Date.now())])
    const next = await eventsUntil(frames, () => true)
    expect(JSON.parse(next[0]?.data as string).task_id).toBe(live?.id)
    stream.abort()
  })

  test('a resume within sseReplayMax replays every event up to now, then continues live', async () => {
    const api = makeApi({ settings: { sseReplayMax: 500, ssePollMs: 10 } })
    const queue = `replay-${Bun.randomUUIDv7()}`
    await api.broker.enqueue(Array.from({ length: 300 }, () => rawMessage(queue, Date.now())))
    const stored = await api.broker.readEvents(null, 1_000)
    const stream = open(api, TOKENS.read, { 'last-event-id': '0' })
    const frames = sseFrames((await stream.response).body as ReadableStream<Uint8Array>)
    const replayed = await eventsUntil(frames, (f) => f.id === stored.at(-1)?.seq)
    expect(replayed.map((f) => f.id)).toEqual(stored.map((e) => e.seq))
    stream.abort()
  })

  test('the caps come from CELERIAC_SSE_STREAMS_PER_CLIENT, CELERIAC_SSE_REPLAY_MAX and CELERIAC_API_SEARCH_SCAN_BUDGET', async () => {
    const env = {
      CELERIAC_SSE_STREAMS_PER_CLIENT: '1',
      CELERIAC_SSE_REPLAY_MAX: '250',
      CELERIAC_API_SEARCH_SCAN_BUDGET: '5000',
    }
    const api = makeApi({ env })
    expect(api.deps.settings).toMatchObject({
      sseStreamsPerClient: 1,
      sseReplayMax: 250,
      searchScanBudget: 5000,
    })
    const first = open(api, TOKENS.read)
    expect((await first.response).status).toBe(200)
    expect((await open(api, TOKENS.read).response).status).toBe(429)
    first.abort()
    expect(() => loadConfig({ env: { CELERIAC_SSE_REPLAY_MAX: 'lots' }, flags: {} })).toThrow(
      'CELERIAC_SSE_REPLAY_MAX',
    )
  })
})
