import { describe, expect, test } from 'bun:test'
import { celeryList } from '../../src/brokers/redis/celery/celery-keys.ts'
import { CeleryCall } from '../../src/celery/celery-call.ts'
import { encodeTaskMessage } from '../../src/celery/encode-task-message.ts'
import { openEnvelope } from '../../src/celery/kombu-envelope.ts'
import { parseCeleryRequest } from '../../src/celery/protocol-v2.ts'
import { pythonRepr, pythonTupleRepr } from '../../src/celery/python-repr.ts'
import { readResultMeta } from '../../src/celery/read-result-meta.ts'

const NOW = Date.parse('2026-01-02T03:04:05.000Z')

describe('encoding a Celery task message', () => {
  test('reads back as the same protocol 2 request, with kombu delivery properties', () => {
    const call = CeleryCall.parse({
      args: [1, 'a'],
      kwargs: { b: true },
      queue: 'q',
      countdown: 2000,
      expires: 60_000,
      priority: 7,
    })
    const encoded = encodeTaskMessage({
      id: 'id-1',
      task: 't.x',
      call,
      origin: '1@h',
      deliveryTag: 'tag-1',
      now: NOW,
    })
    const opened = openEnvelope(encoded.payload)
    if (!opened.ok) throw new Error(opened.reason)
    expect(opened.envelope.properties).toMatchObject({
      delivery_tag: 'tag-1',
      priority: 7,
      body_encoding: 'base64',
    })
    expect(opened.envelope.properties.delivery_info).toEqual({ exchange: '', routing_key: 'q' })
    expect(opened.envelope.headers).toMatchObject({
      argsrepr: "(1, 'a')",
      kwargsrepr: "{'b': True}",
      root_id: 'id-1',
    })
    const parsed = parseCeleryRequest(opened.envelope, opened.body)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(parsed.request).toMatchObject({ id: 'id-1', task: 't.x', args: [1, 'a'], kwargs: { b: true } })
    expect(parsed.request.eta).toBe(NOW + 2000)
    expect(parsed.request.expires).toBe(NOW + 60_000)
    // kombu's _q_for_pri: priority 7 goes to the step-6 list.
    expect(celeryList('q', encoded.priority)).toBe('q\x06\x166')
  })

  test('Python reprs: tuples, None/True, quotes', () => {
    expect(pythonTupleRepr([1])).toBe('(1,)')
    expect(pythonTupleRepr([])).toBe('()')
    expect(pythonRepr({ a: [null, false, 1.5], "it's": 'x' })).toBe(`{'a': [None, False, 1.5], "it's": 'x'}`)
  })
})

describe('reading a Celery result meta', () => {
  test('a FAILURE becomes the error with the Python class, its module and the traceback', () => {
    const raw = JSON.stringify({
      status: 'FAILURE',
      result: { exc_type: 'KeyError', exc_message: ['k'], exc_module: 'builtins' },
      traceback: 'Traceback ...',
      date_done: '2026-01-02T03:04:05.123456',
      task_id: 'x',
    })
    const r = readResultMeta('x', raw)
    expect(r.state).toBe('FAILURE')
    expect(r.error).toEqual({ type: 'KeyError', message: 'k', stack: 'Traceback ...', code: 'builtins' })
    expect(r.finishedAt).toBe(Date.parse('2026-01-02T03:04:05.123Z'))
  })

  test('a custom state set with update_state reads as PROGRESS with its meta', () => {
    const r = readResultMeta('x', JSON.stringify({ status: 'UPLOADING', result: { done: 3 }, task_id: 'x' }))
    expect(r).toMatchObject({ state: 'PROGRESS', meta: { done: 3 }, result: null, error: null })
  })
})
