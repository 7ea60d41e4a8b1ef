import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { CONVENIENCE_ROUTES, HEALTH_CHECK_TASK } from '../../src/api/routes/convenience-routes.ts'
import { UnrecoverableError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'
import { debugNoop } from '../../src/tasks/debug/debug-tasks.ts'
import { rawMessage } from '../brokers/raw-message.ts'
import { startWorker, waitFor, waitForTerminal } from '../worker/helpers.ts'
import { makeApi, TOKENS } from './api-harness.ts'

describe('api task routes', () => {
  test('enqueues by name (202, Location), then shows Celery-style status and full detail with history', async () => {
    const api = makeApi()
    const res = await api.post('/api/v1/tasks/debug.sleep', { ms: 1 })
    expect(res.status).toBe(202)
    const { task_id, status_url, created } = await res.json()
    expect(created).toBe(true)
    expect(res.headers.get('location')).toBe(status_url)
    expect(await (await api.request(status_url)).json()).toEqual({
      task_id,
      status: 'PENDING',
      ready: false,
      successful: false,
      result: null,
    })
    startWorker(api.broker)
    await waitForTerminal(api.broker, task_id)
    expect(await (await api.request(status_url)).json()).toMatchObject({
      status: 'SUCCESS',
      ready: true,
      result: { slept: 1 },
    })
    const detail = await (await api.request(`/api/v1/tasks/${task_id}`)).json()
    expect(detail).toMatchObject({
      task_id,
      task: 'debug.sleep',
      state: 'SUCCESS',
      input: { ms: 1 },
      attempts: 1,
    })
    const types = detail.history.map((e: { type: string }) => e.type)
    expect(types[0]).toBe('task:enqueued')
    expect(types.at(-1)).toBe('task:succeeded')
  })

  test('reports an unknown id as PENDING on the status route and 404 on the detail route', async () => {
    const api = makeApi()
    expect((await (await api.request('/api/v1/tasks/status/nope')).json()).status).toBe('PENDING')
    const missing = await api.request('/api/v1/tasks/nope')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe('not_found')
  })

  test('honours Idempotency-Key: the same key gives the same id with 200 and stores one task', async () => {
    const api = makeApi()
    const headers = { 'idempotency-key': 'order-42' }
    const first = await api.post('/api/v1/tasks/debug.noop', {}, { headers })
    const second = await api.post('/api/v1/tasks/debug.noop', {}, { headers })
    expect([first.status, second.status]).toEqual([202, 200])
    const [a, b] = [await first.json(), await second.json()]
    expect(b).toMatchObject({ task_id: a.task_id, created: false })
    expect((await api.broker.listTasks({})).tasks).toHaveLength(1)
  })

  test('takes options from headers and from the envelope, and enqueues batches atomically', async () => {
    const api = makeApi()
    const now = Date.now()
    const byHeader = await api.post(
      '/api/v1/tasks/debug.noop',
      {},
      {
        headers: { 'celeriac-countdown': '60000', 'celeriac-priority': '9', 'celeriac-queue': 'slow' },
      },
    )
    const stored = await api.broker.getResult((await byHeader.json()).task_id)
    expect(stored).toMatchObject({ queue: 'slow' })
    expect(stored?.eta).toBeGreaterThanOrEqual(now + 60_000)
    const envelope = await api.post('/api/v1/tasks', {
      task: 'debug.sleep',
      input: { ms: 2 },
      options: { queue: 'q2' },
    })
    expect(envelope.status).toBe(202)
    expect((await api.broker.getResult((await envelope.json()).task_id))?.queue).toBe('q2')
    const batch = await api.post('/api/v1/tasks', {
      tasks: [{ task: 'debug.noop' }, { task: 'debug.sleep', input: { ms: 1 }, options: { priority: 1 } }],
    })
    expect(batch.status).toBe(202)
    expect((await batch.json()).tasks).toHaveLength(2)
    const bad = await api.post('/api/v1/tasks', {
      tasks: [{ task: 'debug.noop' }, { task: 'debug.sleep', input: {} }],
    })
    expect(bad.status).toBe(400)
    expect((await bad.json()).fields).toEqual([{ path: 'tasks.1.input.ms', message: expect.any(String) }])
    expect((await api.broker.listTasks({})).tasks).toHaveLength(4)
  })

  test('answers 404 unknown_task with the closest name, nothing stored', async () => {
    const api = makeApi()
    const typo = await (await api.post('/api/v1/tasks/debug.slep', { ms: 1 })).json()
    expect(typo).toMatchObject({ error: 'unknown_task', task: 'debug.slep', did_you_mean: 'debug.sleep' })
    expect(typo.registered).toContain('debug.noop')
    expect((await api.broker.listTasks({})).tasks).toHaveLength(0)
  })

  test('maps the convenience routes onto their built-in tasks, and answers 404 unknown_task without them', async () => {
    const without = makeApi({ only: [debugNoop] })
    for (const path of [...Object.keys(CONVENIENCE_ROUTES), '/health_check']) {
      const res = await without.post(`/api/v1${path}`, { to: 'a@b.c' })
      expect(res.status).toBe(404)
      expect((await res.json()).error).toBe('unknown_task')
    }
    const stand_ins = [...Object.values(CONVENIENCE_ROUTES).map((r) => r.task), HEALTH_CHECK_TASK].map(
      (name) => defineTask({ name, input: z.object({ to: z.string() }), run: () => null }),
    )
    const withTasks = makeApi({ only: stand_ins })
    for (const [path, name] of [
      ...Object.entries(CONVENIENCE_ROUTES).map(([p, r]) => [p, r.task]),
      ['/health_check', HEALTH_CHECK_TASK],
    ]) {
      const res = await withTasks.post(`/api/v1${path}`, { to: 'a@b.c' })
      expect(res.status).toBe(202)
      expect((await withTasks.broker.getResult((await res.json()).task_id))?.task).toBe(name as string)
    }
  })

  test('lists tasks newest first with filters, text search and cursor pages', async () => {
    const api = makeApi()
    for (let i = 0; i < 5; i++) await api.post('/api/v1/tasks/debug.sleep', { ms: i })
    await api.post('/api/v1/tasks/debug.noop', { note: 'needle' })
    const page1 = await (await api.request('/api/v1/tasks?name=debug.sleep&limit=3')).json()
    expect(page1.tasks.map((t: { input: { ms: number } }) => t.input.ms)).toEqual([4, 3, 2])
    const page2 = await (
      await api.request(`/api/v1/tasks?name=debug.sleep&limit=3&cursor=${page1.next_cursor}`)
    ).json()
    expect(page2.tasks.map((t: { input: { ms: number } }) => t.input.ms)).toEqual([1, 0])
    expect(page2.next_cursor).toBeNull()
    const found = await (await api.request('/api/v1/tasks?q=needle&state=PENDING')).json()
    expect(found.tasks.map((t: { task: string }) => t.task)).toEqual(['debug.noop'])
    const since = await (
      await api.request(`/api/v1/tasks?since=${new Date(Date.now() + 60_000).toISOString()}`)
    ).json()
    expect(since.tasks).toEqual([])
  })

  test('revokes by DELETE and by POST, and retries only a failed task', async () => {
    const api = makeApi()
    const a = (
      await (
        await api.post('/api/v1/tasks/debug.noop', {}, { headers: { 'celeriac-countdown': '60000' } })
      ).json()
    ).task_id
    const revoked = await api.request(`/api/v1/tasks/revoke/${a}?terminate=true`, {
      method: 'DELETE',
      token: TOKENS.submit,
    })
    expect(revoked.status).toBe(202)
    expect(await revoked.json()).toEqual({ task_id: a, revoked: true, terminate: true })
    expect((await api.broker.getResult(a))?.state).toBe('REVOKED')
    const b = (await (await api.post('/api/v1/tasks/debug.fail', { times: 1 })).json()).task_id
    expect((await api.request(`/api/v1/tasks/${b}/retry`, { method: 'POST' })).status).toBe(409)
    expect((await api.request('/api/v1/tasks/nope/retry', { method: 'POST' })).status).toBe(404)
    expect((await api.request(`/api/v1/tasks/${b}/revoke`, { method: 'POST' })).status).toBe(202)
    expect((await api.broker.getResult(b))?.state).toBe('REVOKED')
  })

  test('requeues a failed task through /retry (admin), which then runs again', async () => {
    let calls = 0
    const flaky = defineTask({
      name: 'test.flaky',
      input: z.object({}),
      run: () => {
        calls++
        if (calls === 1) throw new UnrecoverableError('first call fails for good')
        return 'second time lucky'
      },
    })
    const api = makeApi({ tasks: [flaky] })
    const id = (await (await api.post('/api/v1/tasks/test.flaky', {})).json()).task_id
    startWorker(api.broker, { registry: api.registry })
    expect((await waitForTerminal(api.broker, id)).state).toBe('FAILURE')
    expect(
      (await api.request(`/api/v1/tasks/${id}/retry`, { method: 'POST', token: TOKENS.submit })).status,
    ).toBe(403)
    const retried = await api.request(`/api/v1/tasks/${id}/retry`, { method: 'POST' })
    expect(retried.status).toBe(202)
    await waitFor('the second run', async () => (await api.broker.getResult(id))?.state === 'SUCCESS')
  })

  test('a search past its scan budget answers a partial page, truncated, whose next_cursor continues the search', async () => {
    const api = makeApi({ settings: { searchScanBudget: 300 } })
    const messages = Array.from({ length: 1_000 }, (_, i) =>
      rawMessage('default', Date.now(), {
        task: 'debug.noop',
        input: { tag: i % 250 === 3 ? 'needle' : 'hay' },
      }),
    )
    await api.broker.enqueue(messages)
    const found: string[] = []
    const flags: boolean[] = []
    let cursor = ''
    for (let pages = 0; pages < 20; pages++) {
      const response = await api.request(`/api/v1/tasks?q=needle&limit=10${cursor && `&cursor=${cursor}`}`)
      expect(response.status).toBe(200)
      const body = await response.json()
      found.push(...body.tasks.map((t: { task_id: string }) => t.task_id))
      flags.push(body.truncated)
      if (body.next_cursor === null) break
      cursor = body.next_cursor
    }
    expect(flags[0]).toBe(true)
    expect(flags.at(-1)).toBe(false)
    expect(found).toEqual(
      messages
        .filter((_, i) => i % 250 === 3)
        .map((m) => m.id)
        .reverse(),
    )
  })
})
