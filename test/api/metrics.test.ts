import { describe, expect, test } from 'bun:test'
import { startWorker, waitFor, waitForTerminal } from '../worker/helpers.ts'
import { makeApi } from './api-harness.ts'
import { type Api, alwaysFailing, sample, scrapeResponse } from './metric-samples.ts'

const broken = alwaysFailing('test.broken')

async function scrape(api: Api): Promise<string> {
  const res = await scrapeResponse(api)
  expect(res.headers.get('content-type')).toContain('text/plain')
  return res.text()
}

/** Series of our task and queue metrics (process metrics vary on their own). */
function seriesCount(text: string): number {
  return text.split('\n').filter((l) => /^celeriac_(task|queue|workers)/.test(l)).length
}

describe('api metrics', () => {
  test('counts outcomes of every worker from the event stream, with durations, errors and gauges', async () => {
    const api = makeApi({ tasks: [broken] })
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push((await (await api.post('/api/v1/tasks/debug.noop', { i })).json()).task_id)
    ids.push((await (await api.post('/api/v1/tasks/test.broken', {})).json()).task_id)
    const revoked = (
      await (
        await api.post('/api/v1/tasks/debug.noop', {}, { headers: { 'celeriac-countdown': '60000' } })
      ).json()
    ).task_id
    await api.request(`/api/v1/tasks/revoke/${revoked}`, { method: 'DELETE' })
    await api.post('/api/v1/tasks/debug.noop', {}, { headers: { 'celeriac-queue': 'idle' } })
    startWorker(api.broker, { registry: api.registry, heartbeatMs: 50 })
    for (const id of ids) await waitForTerminal(api.broker, id)
    await waitFor('the worker heartbeat', async () => (await api.broker.listWorkers(10_000)).length > 0)
    const text = await scrape(api)
    expect(sample(text, 'celeriac_tasks_total{task="debug.noop",queue="default",state="SUCCESS"}')).toBe(3)
    expect(sample(text, 'celeriac_tasks_total{task="test.broken",queue="default",state="FAILURE"}')).toBe(1)
    expect(sample(text, 'celeriac_tasks_total{task="debug.noop",queue="default",state="REVOKED"}')).toBe(1)
    expect(
      sample(
        text,
        'celeriac_task_errors_total{task="test.broken",queue="default",error="UnrecoverableError"}',
      ),
    ).toBe(1)
    expect(sample(text, 'celeriac_task_duration_seconds_count{task="debug.noop",queue="default"}')).toBe(3)
    expect(sample(text, 'celeriac_workers ')).toBe(1)
    expect(sample(text, 'celeriac_queue_backlog{queue="idle"}')).toBe(1)
    expect(sample(text, 'celeriac_queue_oldest_age_seconds{queue="idle"}')).toBeGreaterThanOrEqual(0)
    expect(text).not.toContain(ids[0] as string)
  })

  test('does not count what happened before the api process started', async () => {
    const first = makeApi()
    const id = (await (await first.post('/api/v1/tasks/debug.noop', {})).json()).task_id
    startWorker(first.broker)
    await waitForTerminal(first.broker, id)
    const { createApi } = await import('../../src/server/create-api.ts')
    await Bun.sleep(2)
    const later = createApi({ broker: first.broker, registry: first.registry, config: first.config })
    await later.tail.pollOnce()
    const text = await later.metrics.render(first.broker)
    expect(text).not.toContain('state="SUCCESS"')
  })

  test('keeps the series count unchanged by 10,000 distinct inputs (labels never carry ids or inputs)', async () => {
    const api = makeApi()
    const enqueue = (from: number, n: number) =>
      api.deps.client.enqueueMany(
        Array.from({ length: n }, (_, i) => ({ task: 'debug.noop', input: { n: from + i } })),
      )
    const drain = (handles: { id: string }[]) =>
      waitFor(
        'the batch to finish',
        async () => {
          const last = await api.broker.getResult((handles.at(-1) as { id: string }).id)
          return (
            last?.state === 'SUCCESS' &&
            (await api.broker.queueStats()).every((q) => q.waiting === 0 && q.active === 0)
          )
        },
        30_000,
      )
    startWorker(api.broker, { concurrency: 50 })
    await drain(await enqueue(0, 10))
    const before = seriesCount(await scrape(api))
    await drain(await enqueue(10, 10_000))
    const after = await scrape(api)
    expect(sample(after, 'celeriac_tasks_total{task="debug.noop",queue="default",state="SUCCESS"}')).toBe(
      10_010,
    )
    expect(seriesCount(after)).toBe(before)
  }, 60_000)
})
