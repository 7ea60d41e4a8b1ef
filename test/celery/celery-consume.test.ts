import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Redis } from 'ioredis'
import type { RunningCeleriac } from '../cli/celeriac-process.ts'
import { celeryRedisUrl, flushDb, runPython, startCeleryWorker } from './celery-harness.ts'

const URL = celeryRedisUrl(11)
let worker: RunningCeleriac

beforeAll(async () => {
  await flushDb(URL)
  worker = startCeleryWorker(URL, ['-c', '8', '--track-started'])
  await worker.waitForLog(/worker online/, 20_000)
})

afterAll(async () => {
  await worker.stop()
  await flushDb(URL)
})

/** Python declares stubs of our tasks so it can use apply_async, as a Django app does. */
const STUBS = `
@app.task(name='tasks.add')
def add(x, y): pass
`

describe('a Celeriac worker consuming what Python Celery sends', () => {
  test('runs send_task and apply_async calls with positional args, kwargs and priorities; Python reads every result', async () => {
    const out = await runPython<{ sums: number[]; wrong: number }>(
      URL,
      `${STUBS}
results = []
for i in range(500):
    if i % 3 == 0:
        r = app.send_task('tasks.add', args=[i, 1])
    elif i % 3 == 1:
        r = add.apply_async(kwargs={'x': i, 'y': 1}, priority=i % 10)
    else:
        r = add.apply_async((i,), {'y': 1}, queue='emails', priority=9)
    results.append((i, r))
sums = [r.get(timeout=60) for i, r in results]
print(json.dumps({'sums': sums, 'wrong': sum(1 for (i, r), s in zip(results, sums) if s != i + 1)}))
`,
    )
    expect(out.sums).toHaveLength(500)
    expect(out.wrong).toBe(0)
  }, 90_000)

  test('serves priority 0 before priority 9, as a Python worker on Redis does', async () => {
    // Sent to a queue nobody consumes yet, so all four wait together; then one slot reads them.
    const sent = await runPython<{ low: string[]; high: string }>(
      URL,
      `
low = [app.send_task('tasks.add', args=[1, 1], priority=9, queue='prio').id for _ in range(3)]
high = app.send_task('tasks.add', args=[2, 2], priority=0, queue='prio').id
print(json.dumps({'low': low, 'high': high}))
`,
    )
    const reader = startCeleryWorker(URL, ['-Q', 'prio', '-c', '1', '--name', 'prio-reader'])
    try {
      const out = await runPython<{ order: string[] }>(
        URL,
        `
from celery.result import AsyncResult
low = [AsyncResult(i, app=app) for i in ${JSON.stringify(sent.low)}]
high = AsyncResult('${sent.high}', app=app)
for r in low + [high]: r.get(timeout=30)
done = sorted([(r.date_done, 'low') for r in low] + [(high.date_done, 'high')])
print(json.dumps({'order': [name for _, name in done]}))
`,
      )
      expect(out.order[0]).toBe('high')
    } finally {
      await reader.stop()
    }
  }, 60_000)

  test('a failing task is rebuilt by Python as the same builtin exception with its message', async () => {
    const out = await runPython<{ type: string; module: string; message: string; bad: string }>(
      URL,
      `
r = app.send_task('tasks.lookup', kwargs={'key': 'k1'})
try:
    r.get(timeout=30)
except Exception as e:
    err = e
bad = app.send_task('tasks.add', args=[1, 2, 3])
try:
    bad.get(timeout=30)
except TypeError as e:
    bad_message = str(e)
print(json.dumps({'type': type(err).__name__, 'module': type(err).__module__, 'message': err.args[0], 'bad': bad_message}))
`,
    )
    expect(out).toMatchObject({ type: 'KeyError', module: 'builtins', message: 'no such key: k1' })
    expect(out.bad).toContain('argument 3 has no name')
  }, 60_000)

  test('honours countdown and expires: the countdown task runs after its eta, the expired one is REVOKED', async () => {
    const out = await runPython<{ waited: number; value: number; state: string; error: string }>(
      URL,
      `${STUBS}
start = time.time()
r = add.apply_async((20, 1), countdown=2)
value = r.get(timeout=30)
waited = time.time() - start
gone = add.apply_async((1, 1), expires=datetime.now(timezone.utc) - timedelta(seconds=10))
try:
    gone.get(timeout=30)
    error = ''
except Exception as e:
    error = type(e).__name__
print(json.dumps({'waited': waited, 'value': value, 'state': gone.state, 'error': error}))
`,
    )
    expect(out.value).toBe(21)
    // A lower bound only: the eta is honoured (never early), however loaded the machine is.
    expect(out.waited).toBeGreaterThanOrEqual(1.9)
    expect(out.state).toBe('REVOKED')
    expect(out.error).toBe('TaskRevokedError')
  }, 60_000)

  test('a failed attempt is re-published with the same id and retries + 1 until it succeeds', async () => {
    const out = await runPython<{ result: { retries: number } }>(
      URL,
      `
r = app.send_task('tasks.flaky', kwargs={'times': 2})
print(json.dumps({'result': r.get(timeout=30)}))
`,
    )
    expect(out.result).toEqual({ retries: 2 })
  }, 60_000)

  test('with --track-started Python sees STARTED while the task runs, then its result', async () => {
    const out = await runPython<{ seen: string[]; value: number }>(
      URL,
      `
r = app.send_task('tasks.nap', args=[1500, 7])
seen = []
deadline = time.time() + 30
while r.state != 'SUCCESS' and time.time() < deadline:
    if r.state not in seen: seen.append(r.state)
    time.sleep(0.05)
print(json.dumps({'seen': seen, 'value': r.get(timeout=30)}))
`,
    )
    expect(out.seen).toContain('STARTED')
    expect(out.value).toBe(7)
  }, 60_000)

  test('a pickle message is dead-lettered with the reason, never run, and the worker keeps consuming', async () => {
    const out = await runPython<{ error: string; message: string; after: number }>(
      URL,
      `
r = app.send_task('tasks.add', args=[1, 2], serializer='pickle')
try:
    r.get(timeout=30)
except Exception as e:
    error, message = type(e).__name__, str(e)
after = app.send_task('tasks.add', args=[5, 5]).get(timeout=30)
print(json.dumps({'error': error, 'message': message, 'after': after}))
`,
    )
    expect(out.error).toBe('ContentDisallowed')
    expect(out.message).toContain('application/x-python-serialize')
    expect(out.after).toBe(10)
    const redis = new Redis(URL)
    const dead = Object.values(await redis.hgetall('celeriac:celery:dead')).map((v) => JSON.parse(v))
    redis.disconnect()
    expect(dead).toContainEqual(
      expect.objectContaining({ task: 'tasks.add', reason: expect.stringContaining('pickle') }),
    )
    expect(worker.proc.exitCode).toBeNull()
  }, 60_000)
})
