import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { RunningCeleriac } from '../cli/celeriac-process.ts'
import { celeryRedisUrl, flushDb, runPython, startCeleryWorker } from './celery-harness.ts'

const URL = celeryRedisUrl(15)
let worker: RunningCeleriac

beforeAll(async () => {
  await flushDb(URL)
  // One slot, and leases renewed every second: a revoke reaches held tasks within about a second.
  worker = startCeleryWorker(URL, ['-c', '1', '--track-started', '--name', 'celeriac@revoke-test'], {
    CELERIAC_LEASE_MS: '3000',
  })
  await worker.waitForLog(/celery control listening/, 20_000)
  await worker.waitForLog(/worker online/, 20_000)
}, 30_000)

afterAll(async () => {
  await worker.stop()
  await flushDb(URL)
})

/** Waits in Python until a task reports STARTED (the worker runs with --track-started). */
const WAIT_STARTED = `
def wait_started(r):
    for _ in range(300):
        if r.state == 'STARTED': return
        time.sleep(0.05)
    raise RuntimeError('never started')
from celery.exceptions import TaskRevokedError
def outcome(r):
    try:
        return ['ok', r.get(timeout=30)]
    except TaskRevokedError as e:
        return ['revoked', r.state]
`

describe('celery control revoke, honoured by a Celeriac worker', () => {
  test('a queued task revoked by app.control.revoke never runs: Python reads REVOKED', async () => {
    const out = await runPython<{ busy: unknown[]; queued: unknown[] }>(
      URL,
      `${WAIT_STARTED}
busy = app.send_task('tasks.nap', args=[2000, 1])
wait_started(busy)
queued = app.send_task('tasks.add', args=[1, 2])
app.control.revoke(queued.id)
print(json.dumps({'busy': outcome(busy), 'queued': outcome(queued)}))
`,
    )
    expect(out.busy).toEqual(['ok', 1])
    expect(out.queued).toEqual(['revoked', 'REVOKED'])
  }, 60_000)

  test('a running task runs on after a plain revoke and is stopped by terminate=True', async () => {
    const out = await runPython<{ plain: unknown[]; terminated: unknown[] }>(
      URL,
      `${WAIT_STARTED}
plain = app.send_task('tasks.nap', args=[1500, 3])
wait_started(plain)
app.control.revoke(plain.id)
plain_outcome = outcome(plain)
long = app.send_task('tasks.nap', args=[60000, 4])
wait_started(long)
app.control.revoke(long.id, terminate=True)
print(json.dumps({'plain': plain_outcome, 'terminated': outcome(long)}))
`,
    )
    expect(out.plain).toEqual(['ok', 3])
    expect(out.terminated).toEqual(['revoked', 'REVOKED'])
  }, 60_000)

  test('celery inspect ping is answered with pong by the worker name', async () => {
    const out = await runPython<{ replies: Record<string, unknown>[] }>(
      URL,
      `print(json.dumps({'replies': app.control.ping(timeout=2)}))`,
    )
    expect(out.replies).toContainEqual({ 'celeriac@revoke-test': { ok: 'pong' } })
  }, 30_000)

  test('a revoke addressed to another node is left alone', async () => {
    const out = await runPython<{ other: unknown[] }>(
      URL,
      `${WAIT_STARTED}
busy = app.send_task('tasks.nap', args=[1500, 5])
wait_started(busy)
queued = app.send_task('tasks.add', args=[2, 2])
app.control.revoke(queued.id, destination=['celery@elsewhere'])
busy.get(timeout=30)
print(json.dumps({'other': outcome(queued)}))
`,
    )
    expect(out.other).toEqual(['ok', 4])
  }, 60_000)
})
