import { describe, expect, test } from 'bun:test'
import { startWorker, waitFor } from '../worker/helpers.ts'
import { makeApi, TOKENS } from './api-harness.ts'

const status = async (api: ReturnType<typeof makeApi>) =>
  (await api.request('/api/v1/status', { headers: { authorization: `Bearer ${TOKENS.read}` } })).json()

describe('GET /api/v1/status', () => {
  test('is degraded with no worker online, then healthy once one consumes every waiting queue', async () => {
    const api = makeApi()
    await api.post('/api/v1/tasks/debug.sleep', { ms: 1 }, { headers: { 'celeriac-countdown': '60000' } })
    expect(await status(api)).toMatchObject({ status: 'degraded', worker_count: 0, unconsumed_queues: [] })
    startWorker(api.broker, { registry: api.registry, heartbeatMs: 50, queues: ['default'] })
    await waitFor('the worker heartbeat', async () => (await api.broker.listWorkers(10_000)).length > 0)
    expect(await status(api)).toMatchObject({ status: 'healthy', worker_count: 1, unconsumed_queues: [] })
  })

  test('names a queue whose tasks wait with no online worker consuming it', async () => {
    const api = makeApi()
    startWorker(api.broker, { registry: api.registry, heartbeatMs: 50, queues: ['default'] })
    await waitFor('the worker heartbeat', async () => (await api.broker.listWorkers(10_000)).length > 0)
    // Due now, on a queue the only worker does not read: it will wait forever.
    await api.post('/api/v1/tasks/debug.noop', {}, { headers: { 'celeriac-queue': 'reports-eu' } })
    const body = await status(api)
    expect(body).toMatchObject({ status: 'degraded', unconsumed_queues: ['reports-eu'] })
    expect(body.message).toBe("no online worker consumes 'reports-eu': its tasks wait")
  })
})
