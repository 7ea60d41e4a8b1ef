import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { celeryRedisUrl, flushDb, PYTHON, runPython, startCeleryWorker } from './celery-harness.ts'

// Redis has databases 0-15 here (16 does not exist) and 11-15 are other Celery test files': 10 is this one's.
const URL = celeryRedisUrl(10)
const NODE = 'celeriac@events-test'

/** Python's own event receiver (what Flower uses), printing each event as a JSON line until `worker-offline`. */
const RECEIVER = `
import json, os, sys, threading
from celery import Celery
app = Celery('r', broker=os.environ['CELERY_URL'])
def on_event(event):
    print(json.dumps(event, default=str), flush=True)
    if event['type'] == 'worker-offline':
        raise SystemExit(0)
with app.connection() as conn:
    recv = app.events.Receiver(conn, handlers={'*': on_event})
    threading.Timer(1.0, lambda: print('listening', file=sys.stderr, flush=True)).start()
    try:
        recv.capture(limit=None, timeout=120, wakeup=False)
    except SystemExit:
        pass
`

type Event = Record<string, unknown> & { type: string }
const events: Event[] = []

beforeAll(async () => {
  await flushDb(URL)
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-events-'))
  writeFileSync(join(dir, 'receiver.py'), RECEIVER)
  const receiver = Bun.spawn([PYTHON, join(dir, 'receiver.py')], {
    env: { ...process.env, CELERY_URL: URL },
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 120_000,
  })
  const stdout = new Response(receiver.stdout).text()
  const stderrReader = (receiver.stderr as ReadableStream<Uint8Array>).getReader()
  let stderr = ''
  while (!stderr.includes('listening')) {
    const { value, done } = await stderrReader.read()
    if (done) throw new Error(`receiver exited: ${stderr}`)
    stderr += new TextDecoder().decode(value)
  }
  const worker = startCeleryWorker(URL, ['-c', '2', '--name', NODE, '--celery-events'])
  await worker.waitForLog(/worker online/, 20_000)
  await runPython(
    URL,
    `
ok = app.send_task('tasks.add', args=[2, 3])
bad = app.send_task('tasks.lookup', kwargs={'key': 'k9'})
flaky = app.send_task('tasks.flaky', kwargs={'times': 1})
ok.get(timeout=30); flaky.get(timeout=30)
try: bad.get(timeout=30)
except KeyError: pass
time.sleep(2.5)  # at least one heartbeat
print(json.dumps({}))
`,
  )
  await worker.stop()
  await receiver.exited
  for (const line of (await stdout).split('\n')) if (line.startsWith('{')) events.push(JSON.parse(line))
  rmSync(dir, { recursive: true, force: true })
}, 120_000)

afterAll(() => flushDb(URL))

const ofType = (type: string) => events.filter((e) => e.type === type && e.hostname === NODE)

describe("a Celeriac worker with celeryEvents, seen by Python's event receiver", () => {
  test('worker-online, -heartbeat and -offline carry what Flower reads', () => {
    for (const type of ['worker-online', 'worker-heartbeat', 'worker-offline']) {
      const [event] = ofType(type)
      expect(event).toMatchObject({ sw_ident: 'celeriac', freq: 2, sw_sys: expect.any(String) })
      expect(event).toHaveProperty('active')
      expect(event).toHaveProperty('processed')
      expect(event).toHaveProperty('pid')
      expect(event).toHaveProperty('utcoffset')
      expect(event).toHaveProperty('clock')
      expect(typeof event?.timestamp).toBe('number')
    }
    expect(ofType('worker-offline')[0]?.processed).toBe(3)
  })

  test('task-received/started/succeeded for a success, with args repr, result repr and runtime', () => {
    const received = ofType('task-received').find((e) => e.name === 'tasks.add')
    expect(received).toMatchObject({ args: '[2, 3]', kwargs: '{}', retries: 0 })
    const id = received?.uuid
    expect(ofType('task-started').some((e) => e.uuid === id)).toBe(true)
    const succeeded = ofType('task-succeeded').find((e) => e.uuid === id)
    expect(succeeded).toMatchObject({ result: '5' })
    expect(typeof succeeded?.runtime).toBe('number')
  })

  test('task-failed names the exception; task-retried comes before the retry succeeds', () => {
    const failed = ofType('task-failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]?.exception).toBe("KeyError('no such key: k9')")
    expect(String(failed[0]?.traceback)).toContain('no such key')
    const retried = ofType('task-retried')
    expect(retried).toHaveLength(1)
    expect(retried[0]?.exception).toBe("RuntimeError('Error: failing retry 0')")
  })
})
