import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { type SseFrame, sseFrames } from './sse-frames.ts'

const TOKEN = 'e2e-admin-token-0123456789'
const dir = mkdtempSync(join(tmpdir(), 'celeriac-api-e2e-'))
const where: CeleriacEnv = {
  cwd: dir,
  env: {
    CELERIAC_BROKER_URL: `sqlite://${join(dir, 'e2e.db')}`,
    CELERIAC_API_TOKENS: `${TOKEN}:admin`,
    CELERIAC_HEARTBEAT_MS: '200',
    CELERIAC_GRACE_MS: '2000',
  },
}
let api: RunningCeleriac
let worker: RunningCeleriac
let base = ''

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
type Body = any
const json = async (response: Response | Promise<Response>): Promise<Body> => (await response).json()

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  })

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

beforeAll(async () => {
  api = new RunningCeleriac(['api', '--port', '0'], where)
  worker = new RunningCeleriac(['worker', '--name', 'e2e-worker'], where)
  await api.waitForLog(/api listening on http:\/\/[^:]+:\d+/)
  base = `http://127.0.0.1:${/api listening on http:\/\/[^:]+:(\d+)/.exec(api.stderr)?.[1]}`
  await worker.waitForLog(/worker online/)
}, 20_000)

afterAll(async () => {
  expect(await api.stop()).toBe(0)
  expect(await worker.stop()).toBe(0)
  rmSync(dir, { recursive: true, force: true })
}, 20_000)

describe('celeriac api and worker as separate processes', () => {
  test('refuses to start without tokens, and warns on every start with --insecure', async () => {
    const refused = await runCeleriac(['api', '--port', '0'], {
      ...where,
      env: { ...where.env, CELERIAC_API_TOKENS: '' },
    })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('CELERIAC_API_TOKENS')
    const open = new RunningCeleriac(['api', '--insecure', '--port', '0'], {
      ...where,
      env: { ...where.env, CELERIAC_API_TOKENS: '' },
    })
    try {
      await open.waitForLog(/api listening on http:\/\/127\.0\.0\.1:/)
      expect(open.stderr).toContain('WARNING: --insecure')
    } finally {
      expect(await open.stop()).toBe(0)
    }
  }, 20_000)

  test('enqueue -> status -> result over HTTP, with live SSE events in order and metrics counting them', async () => {
    const controller = new AbortController()
    const events = await call('/api/v1/events?task=debug.sleep', { signal: controller.signal })
    const frames = sseFrames(events.body as ReadableStream<Uint8Array>)
    const enqueued = await call('/api/v1/tasks/debug.sleep', { method: 'POST', body: '{"ms":50}' })
    expect(enqueued.status).toBe(202)
    const { task_id, status_url } = await json(enqueued)
    const done = await until('SUCCESS', async () => {
      const status = await json(call(status_url))
      return status.ready ? status : undefined
    })
    expect(done).toEqual({ task_id, status: 'SUCCESS', ready: true, successful: true, result: { slept: 50 } })
    const seen: SseFrame[] = []
    while (seen.at(-1)?.event !== 'task:succeeded') {
      const frame = await frames.next()
      if (frame.event) seen.push(frame)
    }
    expect(seen[0]?.event).toBe('task:enqueued')
    expect(seen.every((f) => JSON.parse(f.data as string).task_id === task_id)).toBe(true)
    controller.abort()
    const metrics = await until('the api to count the success', async () => {
      const text = await (await call('/metrics')).text()
      return /celeriac_tasks_total\{task="debug.sleep",queue="default",state="SUCCESS"\} 1/.test(text)
        ? text
        : undefined
    })
    expect(metrics).toMatch(/celeriac_workers 1/)
    const detail = await json(call(`/api/v1/tasks/${task_id}`))
    expect(detail).toMatchObject({ state: 'SUCCESS', worker: 'e2e-worker', input: { ms: 50 } })
  }, 20_000)

  test('revokes a running task with terminate, and reports workers and queues', async () => {
    const { task_id } = await json(
      call('/api/v1/tasks/debug.sleep', { method: 'POST', body: '{"ms":60000}' }),
    )
    // The report comes from the worker's heartbeat: one sent before the previous test's task
    // ended may still list that one as active, so wait for this task by its id.
    const workers = await until('the worker to report the task active', async () => {
      const body = await json(call('/api/v1/workers'))
      const active = body.workers?.['e2e-worker']?.active ?? []
      return active.some((a: { task_id: string }) => a.task_id === task_id) ? body : undefined
    })
    expect(workers).toMatchObject({ total_workers: 1, total_active_tasks: 1 })
    expect(workers.workers['e2e-worker'].active[0].task_id).toBe(task_id)
    expect((await call(`/api/v1/tasks/revoke/${task_id}?terminate=true`, { method: 'DELETE' })).status).toBe(
      202,
    )
    const revoked = await until('REVOKED', async () => {
      const status = await json(call(`/api/v1/tasks/status/${task_id}`))
      return status.ready ? status : undefined
    })
    expect(revoked.status).toBe('REVOKED')
    const queues = await json(call('/api/v1/queues'))
    expect(queues.queues.every((q: { waiting: number; active: number }) => q.waiting + q.active === 0)).toBe(
      true,
    )
    expect((await json(call('/api/v1/status'))).status).toBe('healthy')
    expect((await fetch(`${base}/readyz`)).status).toBe(200)
  }, 20_000)
})
