import { describe, expect, test } from 'bun:test'
import { startWorker, waitFor, waitForTerminal } from '../worker/helpers.ts'
import { makeApi } from './api-harness.ts'
import { type Api, alwaysFailing, sample, scrapeResponse } from './metric-samples.ts'

const broken = alwaysFailing('test.exporter_broken')

async function scrape(api: Api): Promise<string> {
  return (await scrapeResponse(api)).text()
}

async function onlineWorker(api: Api, queues: string[]) {
  startWorker(api.broker, { registry: api.registry, heartbeatMs: 50, queues })
  await waitFor('the worker heartbeat', async () => (await api.broker.listWorkers(10_000)).length > 0)
  const [worker] = await api.broker.listWorkers(10_000)
  return worker?.name as string
}

describe("celery-exporter's metric names", () => {
  test('are not served unless CELERIAC_METRICS_CELERY_NAMES is on', async () => {
    const api = makeApi()
    expect(await scrape(api)).not.toContain('celery_task_sent_total')
  })

  test('count task events with name, hostname and queue_name labels, as the exporter does', async () => {
    const api = makeApi({ tasks: [broken], env: { CELERIAC_METRICS_CELERY_NAMES: 'true' } })
    const ids: string[] = []
    for (let i = 0; i < 2; i++)
      ids.push((await (await api.post('/api/v1/tasks/debug.noop', { i })).json()).task_id)
    ids.push((await (await api.post('/api/v1/tasks/test.exporter_broken', {})).json()).task_id)
    const later = { headers: { 'celeriac-countdown': '60000' } }
    const revoked = (await (await api.post('/api/v1/tasks/debug.noop', {}, later)).json()).task_id
    await api.request(`/api/v1/tasks/revoke/${revoked}`, { method: 'DELETE' })
    const worker = await onlineWorker(api, ['default'])
    for (const id of ids) await waitForTerminal(api.broker, id)
    const host = worker.slice(worker.indexOf('@') + 1)
    const text = await scrape(api)
    const labels = `name="debug.noop",hostname="${host}",queue_name="default"`
    expect(
      sample(text, 'celery_task_sent_total{name="debug.noop",hostname="generic",queue_name="default"}'),
    ).toBe(3)
    expect(sample(text, `celery_task_received_total{${labels}}`)).toBe(2)
    expect(sample(text, `celery_task_succeeded_total{${labels}}`)).toBe(2)
    expect(sample(text, `celery_task_runtime_count{${labels}}`)).toBe(2)
    // Like the exporter, the other outcome counters appear at 0 once a task was seen on a worker.
    expect(sample(text, `celery_task_retried_total{${labels}}`)).toBe(0)
    expect(
      sample(
        text,
        `celery_task_failed_total{name="test.exporter_broken",hostname="${host}",queue_name="default",exception="UnrecoverableError"}`,
      ),
    ).toBe(1)
    expect(text).toMatch(
      /celery_task_revoked_total\{name="debug.noop",hostname="[^"]*",queue_name="default"\} 1/,
    )
    expect(sample(text, `celery_worker_up{hostname="${host}"}`)).toBe(1)
    expect(sample(text, `celery_worker_tasks_active{hostname="${host}"}`)).toBe(0)
  })

  test('give every known queue a length and a consumer count, 0 rather than absent when empty', async () => {
    const api = makeApi({
      env: { CELERIAC_METRICS_CELERY_NAMES: 'true', CELERIAC_QUEUES: 'default,reports' },
    })
    await api.post('/api/v1/tasks/debug.noop', {}, { headers: { 'celeriac-queue': 'idle' } })
    await onlineWorker(api, ['default', 'emails'])
    const text = await scrape(api)
    expect(sample(text, 'celery_queue_length{queue_name="idle"}')).toBe(1)
    expect(sample(text, 'celery_queue_length{queue_name="emails"}')).toBe(0)
    // Configured for this api, consumed by no one yet: still a series.
    expect(sample(text, 'celery_queue_length{queue_name="reports"}')).toBe(0)
    expect(sample(text, 'celery_active_consumer_count{queue_name="emails"}')).toBe(1)
    expect(sample(text, 'celery_active_consumer_count{queue_name="idle"}')).toBe(0)
    expect(sample(text, 'celeriac_queue_backlog{queue="emails"}')).toBe(0)
    expect(sample(text, 'celeriac_queue_consumers{queue="emails"}')).toBe(1)
  })
})

describe('celeriac gauges the alerts read', () => {
  test('serve consumers and dead tasks per queue and each online worker RSS', async () => {
    const api = makeApi({ tasks: [broken] })
    const id = (await (await api.post('/api/v1/tasks/test.exporter_broken', {})).json()).task_id
    const worker = await onlineWorker(api, ['default'])
    await waitForTerminal(api.broker, id)
    await waitFor(
      'the rss in a heartbeat',
      async () => ((await api.broker.listWorkers(10_000))[0]?.rssBytes ?? 0) > 0,
    )
    const text = await scrape(api)
    expect(sample(text, 'celeriac_queue_consumers{queue="default"}')).toBe(1)
    expect(sample(text, 'celeriac_queue_dead{queue="default"}')).toBe(1)
    expect(sample(text, `celeriac_worker_rss_bytes{worker="${worker}"}`)).toBeGreaterThan(0)
  })
})
