import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Redis } from 'ioredis'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { encodeEventMessage } from '../../src/celery/celery-event.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createLogger } from '../../src/core/logger.ts'
import { createApi } from '../../src/server/create-api.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { csrfOf } from '../dashboard/dashboard-harness.ts'
import { celeryRedisUrl, flushDb, runPython } from './celery-harness.ts'
import { PythonWorker } from './python-worker.ts'

// kombu's keys and channels are per database: this file owns database 4 and empties it before and after.
const URL = celeryRedisUrl(4)
const TOKEN = 'events-listen-token-0123456789'
const NODE = 'py-listen@testhost'

const PY_TASKS = `
@app.task(name='py.add')
def add(x, y):
    return x + y

@app.task(name='py.boom')
def boom(key):
    raise KeyError(key)
`

const logLines: string[] = []
const broker = createRedisBroker({ url: URL, prefix: 'celeriac-events-listen', clock: systemClock })
const config = loadConfig({
  env: {
    CELERIAC_BROKER_URL: URL,
    CELERIAC_API_TOKENS: `${TOKEN}:admin`,
    CELERIAC_CELERY_EVENTS_LISTEN: 'true',
  },
  flags: {},
})
const api = createApi({
  broker,
  registry: createBuiltinRegistry(),
  config,
  log: createLogger({ level: 'info', write: (line) => logLines.push(line) }),
})
let worker: PythonWorker
let ids: { ok: string; bad: string }

// biome-ignore lint/suspicious/noExplicitAny: the assertions check the JSON's shape
const getJson = async (path: string): Promise<any> => {
  const res = await api.app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  return res.json()
}

/** Polls the API's task list until `done` holds for it (events arrive after the results). */
async function listUntil<T>(path: string, done: (body: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const body = (await getJson(path)) as T
    if (done(body)) return body
    if (Date.now() > deadline) throw new Error(`timed out on ${path}: ${JSON.stringify(body).slice(0, 2000)}`)
    await Bun.sleep(100)
  }
}

async function dashboardPage(path: string): Promise<string> {
  let cookie = ''
  const request = async (p: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (cookie) headers.set('cookie', cookie)
    const res = await api.app.request(p, { ...init, headers })
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie
    return res
  }
  const csrf = csrfOf(await (await request('/login')).text())
  await request('/login', {
    method: 'POST',
    body: new URLSearchParams({ _csrf: csrf, token: TOKEN, next: '' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  const res = await request(path)
  expect(res.status).toBe(200)
  return res.text()
}

beforeAll(async () => {
  await flushDb(URL)
  await api.start()
  worker = new PythonWorker(URL, PY_TASKS, [
    '-E',
    '-P',
    'solo',
    '-n',
    NODE,
    '--without-mingle',
    '--without-gossip',
  ])
  await worker.waitForLog(/ready\./)
  ids = await runPython<{ ok: string; bad: string }>(
    URL,
    `
ok = app.send_task('py.add', args=[2, 3])
bad = app.send_task('py.boom', kwargs={'key': 'k9'})
ok.get(timeout=30)
try: bad.get(timeout=30)
except KeyError: pass
print(json.dumps({'ok': ok.id, 'bad': bad.id}))
`,
  )
}, 90_000)

afterAll(async () => {
  await worker?.stop()
  api.close()
  await api.tail.stop()
  await broker.close()
  await flushDb(URL)
})

describe('Python workers seen through their events (--celery-events-listen)', () => {
  test("the API's task list shows a Python worker's success and failure with name, worker, runtime and exception", async () => {
    type Body = { tasks: Record<string, unknown>[] }
    const body = await listUntil<Body>('/api/v1/tasks', (b) =>
      [ids.ok, ids.bad].every((id) =>
        b.tasks.some((t) => t.task_id === id && (t.state === 'SUCCESS' || t.state === 'FAILURE')),
      ),
    )
    const ok = body.tasks.find((t) => t.task_id === ids.ok)
    const bad = body.tasks.find((t) => t.task_id === ids.bad)
    expect(ok).toMatchObject({ task: 'py.add', state: 'SUCCESS', worker: NODE, result: '5' })
    expect(ok?.input).toEqual({ args: '[2, 3]', kwargs: '{}' })
    expect(typeof ok?.runtime_ms).toBe('number')
    expect(bad).toMatchObject({ task: 'py.boom', state: 'FAILURE', worker: NODE })
    expect(bad?.error).toMatchObject({ type: 'KeyError', message: "'k9'" })
    expect(String((bad?.error as { stack?: string } | undefined)?.stack)).toContain('KeyError')
  }, 30_000)

  test('the search and the state filter find Python tasks as they find ours', async () => {
    const byText = await getJson('/api/v1/tasks?q=boom')
    expect(byText.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([ids.bad])
    const failed = await getJson('/api/v1/tasks?state=FAILURE')
    expect(failed.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([ids.bad])
    const one = await getJson(`/api/v1/tasks/${ids.ok}`)
    expect(one).toMatchObject({ task_id: ids.ok, task: 'py.add', state: 'SUCCESS', result: 5, worker: NODE })
  })

  test("the dashboard's task list, task page and workers view show the Python worker and its tasks", async () => {
    const list = await dashboardPage('/tasks')
    expect(list).toContain('py.add')
    expect(list).toContain('py.boom')
    expect(list).toContain(ids.ok)
    const search = await dashboardPage('/tasks?q=py.add')
    expect(search).toContain(ids.ok)
    expect(search).not.toContain(ids.bad)
    const page = await dashboardPage(`/tasks/${ids.bad}`)
    expect(page).toContain('py.boom')
    expect(page).toContain('KeyError')
    const workers = await dashboardPage('/workers')
    expect(workers).toContain(NODE)
    expect(workers).toContain('celery 5.')
  })

  test('hostile event payloads are dropped with a log line and the api keeps recording', async () => {
    const pub = new Redis(URL)
    try {
      const channel = '/4.celeryev/task.succeeded'
      const valid = (body: Record<string, unknown>) => encodeEventMessage(body, 'task.succeeded', 'tag')
      const now = Date.now() / 1000
      await pub.publish(channel, 'not json at all')
      await pub.publish(channel, 'x'.repeat(2_000_000))
      await pub.publish(channel, valid({ type: 'task-succeeded', uuid: 42, hostname: NODE, timestamp: now }))
      await pub.publish(
        channel,
        valid({ type: 'task-succeeded', uuid: 'u1', hostname: NODE, timestamp: 'soon' }),
      )
      await pub.publish(channel, valid({ type: 'worker-heartbeat', hostname: ['x'], timestamp: now }))
      await pub.publish(channel, JSON.stringify({ body: 'e30=', properties: { delivery_tag: 't' } }))
      await pub.publish(
        channel,
        valid({ type: 'task-received', uuid: 'after-junk', name: 'py.late', hostname: NODE, timestamp: now }),
      )
      type Body = { tasks: { task_id: string; task: string }[] }
      await listUntil<Body>('/api/v1/tasks?q=py.late', (b) => b.tasks.some((t) => t.task_id === 'after-junk'))
      expect(logLines.some((l) => l.includes('celery event dropped'))).toBe(true)
      const health = await api.app.request('/healthz')
      expect(health.status).toBe(200)
    } finally {
      pub.disconnect()
    }
  }, 30_000)
})
