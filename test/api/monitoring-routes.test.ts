import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { UnrecoverableError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'
import { startWorker, waitFor, waitForTerminal } from '../worker/helpers.ts'
import { makeApi, TOKENS } from './api-harness.ts'

const PREFIX = '/api/dashboard/celery'

const add = defineTask({
  name: 'test.monitor_add',
  input: z.object({ x: z.number(), y: z.number() }),
  celeryArgs: ['x', 'y'],
  run: ({ x, y }) => x + y,
})
const greet = defineTask({
  name: 'test.monitor_greet',
  input: z.object({ who: z.string() }),
  run: ({ who }) => `hello ${who}`,
})
const broken = defineTask({
  name: 'test.monitor_broken',
  input: z.object({}),
  run: () => {
    throw new UnrecoverableError('always')
  },
})

function monitoringApi(env: Record<string, string> = {}) {
  return makeApi({ tasks: [add, greet, broken], env: { CELERIAC_MONITORING_PREFIX: PREFIX, ...env } })
}
type Api = ReturnType<typeof monitoringApi>

const read = { token: TOKENS.read }

async function onlineWorker(api: Api, queues = ['default']) {
  startWorker(api.broker, { registry: api.registry, heartbeatMs: 50, queues })
  await waitFor('the worker heartbeat', async () => (await api.broker.listWorkers(10_000)).length > 0)
}

describe('the monitoring API under a configured prefix', () => {
  test('is absent unless a prefix is configured', async () => {
    const api = makeApi()
    expect((await api.request(`${PREFIX}/status/`)).status).toBe(404)
  })

  test('status gives the success rate in percent, with worker and active counts', async () => {
    const api = monitoringApi()
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push((await (await api.post('/api/v1/tasks/test.monitor_add', { x: i, y: 1 })).json()).task_id)
    ids.push((await (await api.post('/api/v1/tasks/test.monitor_broken', {})).json()).task_id)
    await onlineWorker(api)
    for (const id of ids) await waitForTerminal(api.broker, id)
    await waitFor('the counts in a heartbeat', async () => {
      const [w] = await api.broker.listWorkers(10_000)
      return (w?.succeeded ?? 0) + (w?.failed ?? 0) === 4
    })
    const res = await api.request(`${PREFIX}/status/`, read)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'healthy', worker_count: 1, active_tasks: 0, success_rate: 75 })
    expect(typeof body.message).toBe('string')
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false)
  })

  test('workers lists each online worker with its active tasks and its stats', async () => {
    const api = monitoringApi()
    await onlineWorker(api)
    const body = await (await api.request(`${PREFIX}/workers/`, read)).json()
    expect(body.workers.count).toBe(1)
    const [name] = Object.keys(body.workers.details)
    expect(body.workers.details[name as string]).toEqual([])
    const stats = body.stats[name as string]
    expect(stats.total).toBe(0)
    expect(stats.pool['max-concurrency']).toBeGreaterThan(0)
    expect(stats.pool.processes).toEqual([process.pid])
    expect(typeof body.timestamp).toBe('string')
  })

  test('queues names the workers consuming each known queue, and its backlog', async () => {
    const api = monitoringApi()
    await onlineWorker(api, ['default', 'reports'])
    await api.post(
      '/api/v1/tasks/test.monitor_add',
      { x: 1, y: 2 },
      { headers: { 'celeriac-queue': 'idle' } },
    )
    const body = await (await api.request(`${PREFIX}/queues/`, read)).json()
    const [worker] = (await api.broker.listWorkers(10_000)).map((w) => w.name)
    expect(body.queues.reports).toMatchObject({ name: 'reports', workers: [worker], count: 1, waiting: 0 })
    expect(body.queues.idle).toMatchObject({ name: 'idle', workers: [], count: 0, waiting: 1 })
    expect(body.total_queues).toBe(Object.keys(body.queues).length)
  })

  test('tasks lists recent tasks with lowercase status, duration in seconds and completion time', async () => {
    const api = monitoringApi()
    const id = (await (await api.post('/api/v1/tasks/test.monitor_add', { x: 1, y: 2 })).json()).task_id
    await api.post('/api/v1/tasks/test.monitor_add', { x: 3, y: 4 })
    await onlineWorker(api)
    await waitForTerminal(api.broker, id)
    const body = await (await api.request(`${PREFIX}/tasks/?limit=1`, read)).json()
    expect(body.count).toBe(1)
    expect(body.tasks).toHaveLength(1)
    const all = await (await api.request(`${PREFIX}/tasks/`, read)).json()
    const row = all.tasks.find((t: { task_id: string }) => t.task_id === id)
    expect(row).toMatchObject({ task_id: id, name: 'test.monitor_add', status: 'success' })
    expect(row.duration).toBeGreaterThanOrEqual(0)
    expect(Number.isNaN(Date.parse(row.started_at))).toBe(false)
    expect(Number.isNaN(Date.parse(row.completed_at))).toBe(false)
  })

  test('tasks refuses a limit that is not a whole number from 1 to 1000, naming limit', async () => {
    const api = monitoringApi()
    for (const limit of ['0', '5000', 'ten']) {
      const res = await api.request(`${PREFIX}/tasks/?limit=${limit}`, read)
      expect(res.status).toBe(400)
      expect((await res.json()).fields[0].path).toBe('limit')
    }
  })

  test('tasks/{id} gives one task in the same shape with its result, and 404 for an unknown id', async () => {
    const api = monitoringApi()
    const id = (await (await api.post('/api/v1/tasks/test.monitor_add', { x: 1, y: 2 })).json()).task_id
    await onlineWorker(api)
    await waitForTerminal(api.broker, id)
    const body = await (await api.request(`${PREFIX}/tasks/${id}/`, read)).json()
    expect(body).toMatchObject({ task_id: id, name: 'test.monitor_add', status: 'success', result: 3 })
    expect((await api.request(`${PREFIX}/tasks/no-such-task/`, read)).status).toBe(404)
  })

  test('execute maps positional args by celeryArgs and kwargs by name onto the input', async () => {
    const api = monitoringApi()
    const res = await api.post(`${PREFIX}/tasks/test.monitor_add/execute/`, { args: [2], kwargs: { y: 5 } })
    expect(res.status).toBe(202)
    const { task_id } = await res.json()
    expect((await api.broker.getResult(task_id))?.input).toEqual({ x: 2, y: 5 })
    const kw = await api.post(`${PREFIX}/tasks/test.monitor_greet/execute/`, { kwargs: { who: 'ada' } })
    expect(kw.status).toBe(202)
  })

  test('execute refuses positional args for a task without celeryArgs, naming args', async () => {
    const api = monitoringApi()
    const res = await api.post(`${PREFIX}/tasks/test.monitor_greet/execute/`, { args: ['ada'] })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.fields[0].path).toBe('args')
    expect(body.message).toContain('celeryArgs')
  })

  test("execute names a wrong input field, an args that is not a list, and an unknown task's name", async () => {
    const api = monitoringApi()
    const wrong = await api.post(`${PREFIX}/tasks/test.monitor_greet/execute/`, { kwargs: { who: 3 } })
    expect(wrong.status).toBe(400)
    expect(JSON.stringify(await wrong.json())).toContain('who')
    const notList = await api.post(`${PREFIX}/tasks/test.monitor_add/execute/`, { args: 'x' })
    expect(notList.status).toBe(400)
    expect((await notList.json()).fields[0].path).toBe('args')
    const unknown = await api.post(`${PREFIX}/tasks/test.nope/execute/`, {})
    expect(unknown.status).toBe(404)
  })

  test('execute reports body fields besides args and kwargs as ignored', async () => {
    const api = monitoringApi()
    const res = await api.post(`${PREFIX}/tasks/test.monitor_greet/execute/`, {
      user_id: 123,
      args: [],
      kwargs: { who: 'ada' },
    })
    expect(res.status).toBe(202)
    expect((await res.json()).ignored_fields).toEqual(['user_id'])
  })

  test('uses the API tokens: read for GETs, submit for execute and the health-check task', async () => {
    const api = monitoringApi()
    expect((await api.request(`${PREFIX}/status/`, { token: null })).status).toBe(401)
    const asReader = { token: TOKENS.read }
    const exec = await api.post(
      `${PREFIX}/tasks/test.monitor_greet/execute/`,
      { kwargs: { who: 'a' } },
      asReader,
    )
    expect(exec.status).toBe(403)
    const asSubmitter = { token: TOKENS.submit }
    expect((await api.request(`${PREFIX}/workers/`, { token: TOKENS.submit })).status).toBe(403)
    const check = await api.post(`${PREFIX}/health_check/`, {}, asSubmitter)
    expect(check.status).toBe(202)
  })

  test('health_check GET answers at once with the broker and worker checks', async () => {
    const api = monitoringApi()
    const body = await (await api.request(`${PREFIX}/health_check/`, read)).json()
    expect(body).toMatchObject({
      status: 'degraded',
      checks: { broker: { ok: true }, workers: { ok: false } },
    })
  })

  test('metrics/prometheus serves the Prometheus text, behind the read scope unless metrics auth is off', async () => {
    const api = monitoringApi()
    expect((await api.request(`${PREFIX}/metrics/prometheus/`, { token: null })).status).toBe(401)
    const res = await api.request(`${PREFIX}/metrics/prometheus/`, read)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('celeriac_workers')
    const open = monitoringApi({ CELERIAC_METRICS_AUTH: 'false' })
    expect((await open.request(`${PREFIX}/metrics/prometheus`, { token: null })).status).toBe(200)
  })
})
