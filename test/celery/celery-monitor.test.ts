import { describe, expect, test } from 'bun:test'
import { encodeEventMessage } from '../../src/celery/celery-event.ts'
import { CeleryMonitor } from '../../src/celery/celery-monitor.ts'
import { MAX_EVENT_BYTES } from '../../src/celery/monitor-event.ts'

const NOW = Date.UTC(2026, 0, 1)
const at = (ms: number) => (NOW + ms) / 1000

function message(body: unknown, key = 'task.multi'): string {
  return encodeEventMessage(body as Record<string, unknown>, key, 'tag')
}

function task(type: string, uuid: string, ms: number, fields: Record<string, unknown> = {}) {
  return { type, uuid, hostname: 'celery@py', timestamp: at(ms), ...fields }
}

describe("CeleryMonitor: Python workers' events as tasks", () => {
  test("reads a worker's grouped task events (task.multi) into one task's history", () => {
    const m = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    const dropped = m.record(
      message([
        task('task-received', 'a', 0, { name: 'py.add', args: '(2, 3)', kwargs: '{}', retries: 0 }),
        task('task-started', 'a', 5),
        task('task-succeeded', 'a', 20, { result: '5', runtime: 0.015 }),
      ]),
      NOW,
    )
    expect(dropped).toEqual([])
    expect(m.tasks.get('a', NOW)).toMatchObject({
      task: 'py.add',
      state: 'SUCCESS',
      worker: 'celery@py',
      input: { args: '(2, 3)', kwargs: '{}' },
      result: '5',
      runtimeMs: 15,
      createdAt: NOW,
      startedAt: NOW + 5,
      finishedAt: NOW + 20,
    })
  })

  test('a failure keeps the exception class, its arguments and the traceback; a retry counts', () => {
    const m = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    m.record(
      message(task('task-retried', 'b', 0, { exception: "ValueError('again')", traceback: 'Traceback…' })),
      NOW,
    )
    expect(m.tasks.get('b', NOW)?.state).toBe('RETRY')
    m.record(message(task('task-received', 'b', 10, { name: 'py.b', retries: 1 })), NOW)
    m.record(
      message(task('task-failed', 'b', 20, { exception: "KeyError('k9')", traceback: 'Traceback…' })),
      NOW,
    )
    expect(m.tasks.get('b', NOW)).toMatchObject({
      state: 'FAILURE',
      retries: 1,
      attempts: 2,
      error: { type: 'KeyError', message: "'k9'", stack: 'Traceback…' },
    })
  })

  test('a SUCCESS stays, and an event older than the last one applied does not move the state back', () => {
    const m = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    m.record(message(task('task-started', 'c', 10)), NOW)
    m.record(message(task('task-received', 'c', 0, { name: 'py.c' })), NOW)
    expect(m.tasks.get('c', NOW)).toMatchObject({ state: 'STARTED', task: 'py.c' })
    m.record(message(task('task-succeeded', 'c', 20, { result: 'None' })), NOW)
    m.record(message(task('task-failed', 'c', 30, { exception: 'Exception()' })), NOW)
    expect(m.tasks.get('c', NOW)?.state).toBe('SUCCESS')
  })

  test('holds at most maxTasks (the first seen go first) and forgets a task ttlMs after its last event', () => {
    const m = new CeleryMonitor({ maxTasks: 3, ttlMs: 1_000 })
    for (const [i, id] of ['t1', 't2', 't3', 't4'].entries())
      m.record(message(task('task-received', id, i)), NOW)
    expect(m.tasks.size).toBe(3)
    expect(m.tasks.get('t1', NOW)).toBeNull()
    expect(m.tasks.newestFirst(NOW).map((t) => t.id)).toEqual(['t4', 't3', 't2'])
    m.record(message(task('task-started', 't2', 5)), NOW + 600)
    expect(m.tasks.newestFirst(NOW + 1_500).map((t) => t.id)).toEqual(['t2'])
    expect(m.tasks.size).toBe(1)
  })

  test('refuses hostile messages with a reason each and records nothing from them', () => {
    const m = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['x'.repeat(MAX_EVENT_BYTES + 1), /larger than/],
      [
        JSON.stringify({
          body: 'W10=',
          'content-type': 'application/x-python-serialize',
          'content-encoding': 'binary',
          properties: { delivery_tag: 't', body_encoding: 'base64' },
        }),
        /pickle/,
      ],
      [message(task('task-succeeded', 'd', 0, { uuid: 7 })), /uuid/],
      [message(task('task-succeeded', 'd', 0, { timestamp: 'soon' })), /timestamp/],
      [message(task('task-succeeded', 'd', 0, { timestamp: 1e300 })), /timestamp/],
      [message(task('task-succeeded', 'd', 0, { runtime: -1 })), /runtime/],
      [message({ type: 'worker-heartbeat', hostname: ['x'], timestamp: at(0) }), /hostname/],
      [message('just a string'), /not an object/],
      [message({ type: 42 }), /type/],
      [message(Array.from({ length: 1_001 }, () => ({}))), /more than 1000 events/],
    ]
    for (const [raw, reason] of cases) {
      const dropped = m.record(raw, NOW)
      expect(dropped.length).toBe(1)
      expect(dropped[0]).toMatch(reason)
    }
    expect(m.tasks.size).toBe(0)
    expect(m.workers.list()).toEqual([])
  })

  test('cuts a huge repr to a bounded text, and ignores event types it does not record', () => {
    const m = new CeleryMonitor({ maxTasks: 10, ttlMs: 60_000 })
    const dropped = m.record(
      message([
        task('task-succeeded', 'e', 0, { result: 'r'.repeat(100_000) }),
        { type: 'task-progress', uuid: 'e' },
        { type: 'custom-thing' },
      ]),
      NOW,
    )
    expect(dropped).toEqual([])
    expect(String(m.tasks.get('e', NOW)?.result).length).toBeLessThanOrEqual(4_097)
  })
})
