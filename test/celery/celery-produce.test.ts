import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCeleriac } from '../../src/celeriac.ts'
import { TaskFailedError } from '../../src/client/task-handle.ts'
import { makeApi, TOKENS } from '../api/api-harness.ts'
import { runCeleriac } from '../cli/celeriac-process.ts'
import { makeDashboard } from '../dashboard/dashboard-harness.ts'
import { celeryRedisUrl, flushDb } from './celery-harness.ts'
import { PythonWorker } from './python-worker.ts'

const URL = celeryRedisUrl(14)
const QUEUE = 'pyq'

/** Python tasks that report what the worker saw, so each test checks the message Celeriac sent. */
const TASKS = `
@app.task(name='py.add')
def add(x, y):
    return x + y

@app.task(name='py.request', bind=True)
def request(self, *args, **kwargs):
    r = self.request
    return {'args': list(args), 'kwargs': kwargs, 'eta': r.eta, 'priority': r.delivery_info.get('priority'),
            'routing_key': r.delivery_info.get('routing_key'), 'retries': r.retries, 'root_id': r.root_id}

@app.task(name='py.fail')
def fail(message):
    raise ValueError(message)
`

let worker: PythonWorker
const app = createCeleriac({ broker: URL, builtins: false })

beforeAll(async () => {
  await flushDb(URL)
  worker = new PythonWorker(URL, TASKS, [
    '--pool=solo',
    '-Q',
    QUEUE,
    '--without-mingle',
    '--without-gossip',
    '--without-heartbeat',
  ])
  await worker.waitForLog(/ready\./)
}, 40_000)

afterAll(async () => {
  await worker.stop()
  await app.close()
  await flushDb(URL)
})

describe('Celeriac sending to a Python Celery worker', () => {
  test('the library sends positional args and kwargs; Python runs them and Celeriac reads the results', async () => {
    const sum = await app.celery.send('py.add', { args: [2, 3], queue: QUEUE })
    const named = await app.celery.send('py.add', { kwargs: { x: 10, y: 5 }, queue: QUEUE })
    const both = await app.celery.send('py.request', { args: [1, 'two'], kwargs: { k: null }, queue: QUEUE })
    expect(await sum.result({ timeout: 30_000 })).toBe(5)
    expect(await named.result({ timeout: 30_000 })).toBe(15)
    const seen = (await both.result({ timeout: 30_000 })) as Record<string, unknown>
    expect(seen).toMatchObject({ args: [1, 'two'], kwargs: { k: null }, routing_key: QUEUE, retries: 0 })
    expect(seen.root_id).toBe(both.id)
  }, 60_000)

  test('a countdown reaches Python as an eta, and a priority as kombu delivers it', async () => {
    const sentAt = Date.now()
    const later = await app.celery.send('py.request', { queue: QUEUE, countdown: 1500 })
    const urgent = await app.celery.send('py.request', { queue: QUEUE, priority: 9 })
    const late = (await later.result({ timeout: 30_000 })) as { eta: string }
    expect(Date.parse(late.eta)).toBeGreaterThanOrEqual(sentAt + 1500 - 5)
    expect(((await urgent.result({ timeout: 30_000 })) as { priority: number }).priority).toBe(9)
  }, 60_000)

  test("a Python failure is read with the exception's class and message", async () => {
    const handle = await app.celery.send('py.fail', { args: ['card declined'], queue: QUEUE })
    const error = await handle.result({ timeout: 30_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    const stored = await handle.wait()
    expect(stored.state).toBe('FAILURE')
    expect(stored.error).toMatchObject({ type: 'ValueError', message: 'card declined', code: 'builtins' })
    expect(stored.error?.stack).toContain('ValueError')
  }, 60_000)

  test('a call with a wrong field is refused naming it, before anything is sent', async () => {
    const refused = await app.celery.send('py.add', { args: 'nope' as unknown as [] }).catch((e: Error) => e)
    expect((refused as Error).message).toContain('args')
  })
})

describe('the command line and the API sending to Python Celery', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'celeriac-celery-cli-'))
  const env = { CELERIAC_BROKER_URL: URL }

  test('`call --celery` sends, `result --wait` prints the SUCCESS and a FAILURE with its exception', async () => {
    const sent = await runCeleriac(['call', '--celery', 'py.add', '--args', '[20, 22]', '-Q', QUEUE], {
      cwd,
      env,
    })
    expect(sent.code).toBe(0)
    const done = await runCeleriac(['result', sent.stdout, '--wait', '30'], { cwd, env })
    expect(done.stdout.split('\n').slice(0, 2)).toEqual(['SUCCESS', '42'])
    const failing = await runCeleriac(
      ['call', '--celery', 'py.fail', '--kwargs', '{"message": "no stock"}', '--queue', QUEUE],
      { cwd, env },
    )
    const failed = await runCeleriac(['result', failing.stdout, '--wait', '30'], { cwd, env })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('ValueError: no stock')
    const bad = await runCeleriac(['call', '--celery', 'py.add', '--args', '{"x": 1}'], { cwd, env })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--args')
  }, 90_000)

  test('POST /api/v1/celery/tasks/{name} sends; /tasks/status/{id} reads what Python wrote', async () => {
    const api = makeApi({ env })
    const sent = await api.post(`/api/v1/celery/tasks/py.add`, { args: [1], kwargs: { y: 2 }, queue: QUEUE })
    expect(sent.status).toBe(202)
    const { task_id, status_url } = await sent.json()
    let body: { status: string; result: unknown } = { status: 'PENDING', result: null }
    for (let i = 0; i < 300 && body.status === 'PENDING'; i++) {
      body = await (await api.request(status_url, { token: TOKENS.read })).json()
      if (body.status === 'PENDING') await Bun.sleep(100)
    }
    expect(body).toMatchObject({ status: 'SUCCESS', result: 3 })
    expect(task_id).toBeString()
    const bad = await api.post(`/api/v1/celery/tasks/py.add`, { args: [1], priority: 12 })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('priority')
    const doc = await (await api.request('/api/v1/openapi.json', { token: TOKENS.read })).json()
    expect(doc.paths['/api/v1/celery/tasks/{name}'].post.requestBody).toBeDefined()
  }, 60_000)

  test("the dashboard's task page shows a Python worker's FAILURE with its exception", async () => {
    const handle = await app.celery.send('py.fail', { args: ['out of paper'], queue: QUEUE })
    await handle.wait({ timeout: 30_000 })
    const d = makeDashboard({ env })
    await d.login(TOKENS.read)
    const page = await d.request(`/tasks/${handle.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('FAILURE')
    expect(html).toContain('out of paper')
    expect(html).toContain('ValueError')
  }, 60_000)
})
