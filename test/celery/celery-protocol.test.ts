import { describe, expect, test } from 'bun:test'
import { celeryList, celeryQueueLists } from '../../src/brokers/redis/celery/celery-keys.ts'
import { toCeleryException } from '../../src/celery/celery-exception.ts'
import { parseCeleryTime } from '../../src/celery/celery-time.ts'
import { openEnvelope } from '../../src/celery/kombu-envelope.ts'
import { mapArguments } from '../../src/celery/map-arguments.ts'
import { parseCeleryRequest } from '../../src/celery/protocol-v2.ts'

/** A kombu envelope as Celery 5.2 writes it, with a JSON body `[args, kwargs, embed]`. */
function envelope(
  over: { headers?: Record<string, unknown>; [k: string]: unknown } = {},
  body: unknown = [[1, 2], {}, {}],
) {
  const { headers, ...rest } = over
  return JSON.stringify({
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { lang: 'py', task: 'tasks.add', id: 'id-1', retries: 0, timelimit: [null, null], ...headers },
    properties: {
      delivery_tag: 'tag-1',
      body_encoding: 'base64',
      priority: 0,
      delivery_info: { exchange: '', routing_key: 'celery' },
    },
    ...rest,
  })
}

describe('kombu envelopes', () => {
  test('decodes a JSON body sent as base64', () => {
    const opened = openEnvelope(envelope())
    expect(opened.ok && opened.body).toBe('[[1,2],{},{}]')
  })

  test.each([
    [{ 'content-type': 'application/x-python-serialize', 'content-encoding': 'binary' }, 'pickle'],
    [{ 'content-type': 'application/x-yaml' }, 'yaml'],
    [{ 'content-encoding': 'latin-1' }, "content-encoding 'latin-1'"],
    [{ headers: { compression: 'application/x-gzip' } }, "compression 'application/x-gzip'"],
  ])('refuses %o with a reason naming it', (over, reason) => {
    const opened = openEnvelope(envelope(over))
    expect(opened.ok).toBe(false)
    expect(!opened.ok && opened.reason).toContain(reason)
  })

  test('refuses a list entry that is not a kombu message, naming the missing field', () => {
    const opened = openEnvelope('{"body": "x"}')
    expect(!opened.ok && opened.reason).toContain('properties')
  })
})

describe('protocol 2 requests', () => {
  test('reads eta and expires as ISO-8601 and timelimit as [hard, soft] seconds', () => {
    const raw = envelope({
      headers: {
        eta: '2030-01-01T00:00:00.500000+00:00',
        expires: '2030-01-01T01:00:00',
        timelimit: [10, 2.5],
      },
    })
    const opened = openEnvelope(raw)
    if (!opened.ok) throw new Error(opened.reason)
    const parsed = parseCeleryRequest(opened.envelope, opened.body)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(parsed.request.eta).toBe(Date.parse('2030-01-01T00:00:00.500Z'))
    expect(parsed.request.expires).toBe(Date.parse('2030-01-01T01:00:00Z'))
    expect(parsed.request.timeLimit).toEqual({ hard: 10_000, soft: 2_500 })
  })

  test('a body that is not [args, kwargs, embed] is refused naming the body', () => {
    const opened = openEnvelope(envelope({}, { args: [] }))
    if (!opened.ok) throw new Error(opened.reason)
    const parsed = parseCeleryRequest(opened.envelope, opened.body)
    expect(!parsed.ok && parsed.reason).toContain('body')
  })

  // The hot path checks the common shape by hand and leaves anything else to the schema: none of
  // these may slip through the hand check, and each is refused naming its field.
  test.each([
    [{ headers: { lang: null } }, [[], {}], 'headers.lang'],
    [{ headers: { task: '' } }, [[], {}], 'headers.task'],
    [{ headers: { id: 7 } }, [[], {}], 'headers.id'],
    [{ headers: { retries: -1 } }, [[], {}], 'headers.retries'],
    [{ headers: { retries: 1.5 } }, [[], {}], 'headers.retries'],
    [{ headers: { timelimit: [1] } }, [[], {}], 'headers.timelimit'],
    [{ headers: { timelimit: [1, 'x'] } }, [[], {}], 'headers.timelimit'],
    [{ headers: { ignore_result: 'yes' } }, [[], {}], 'headers.ignore_result'],
    [{ headers: { parent_id: 3 } }, [[], {}], 'headers.parent_id'],
    [{}, [[], [], {}], 'body.1'],
    [{}, [[], {}, []], 'body.2'],
    [{}, [[], {}, {}, {}], 'body'],
    [{}, ['x', {}], 'body.0'],
  ])('the hand check leaves %o with body %o to the schema, which names %s', (over, body, field) => {
    const opened = openEnvelope(envelope(over, body))
    if (!opened.ok) throw new Error(opened.reason)
    const parsed = parseCeleryRequest(opened.envelope, opened.body)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.reason).toContain(field)
  })

  test.each([
    [{ properties: { delivery_tag: '' } }, 'properties.delivery_tag'],
    [{ properties: { delivery_tag: 't', delivery_info: null } }, 'properties.delivery_info'],
    [{ properties: { delivery_tag: 't', priority: 'high' } }, 'properties.priority'],
    [{ body: 5 }, 'body'],
  ])('an envelope %o is refused naming %s', (over, field) => {
    const opened = openEnvelope(envelope(over as Record<string, unknown>))
    expect(opened.ok).toBe(false)
    expect(!opened.ok && opened.reason).toContain(field)
  })

  test('an envelope without headers or delivery_info reads them as empty, as the schema does', () => {
    const raw = JSON.stringify({
      body: Buffer.from('[[], {}, null]').toString('base64'),
      'content-encoding': 'utf-8',
      'content-type': 'application/json',
      properties: { delivery_tag: 't', body_encoding: 'base64' },
    })
    const opened = openEnvelope(raw)
    if (!opened.ok) throw new Error(opened.reason)
    expect(opened.envelope.headers).toEqual({})
    expect(opened.envelope.properties.delivery_info).toEqual({})
  })

  test('a malformed eta names the header', () => {
    expect(() => parseCeleryTime('tomorrow', 'eta')).toThrow('headers.eta')
  })
})

describe('mapping args and kwargs onto a task input', () => {
  test('positional args by the declared order, kwargs by name', () => {
    expect(mapArguments('t', [1], { y: 2 }, ['x', 'y'])).toEqual({ ok: true, input: { x: 1, y: 2 } })
  })

  test('an argument without a declared name is a failure naming it', () => {
    const mapped = mapArguments('tasks.add', [1, 2, 3], {}, ['x', 'y'])
    expect(!mapped.ok && mapped.message).toContain('argument 3 has no name')
  })

  test('a name given positionally and by keyword is a failure naming it', () => {
    const mapped = mapArguments('tasks.add', [1], { x: 2 }, ['x', 'y'])
    expect(!mapped.ok && mapped.message).toContain("multiple values for argument 'x'")
  })
})

describe('exceptions Python can rebuild', () => {
  test('a builtin name stays itself; ours map to a fixed Python class', () => {
    expect(toCeleryException({ type: 'KeyError', message: 'k', stack: null })).toEqual({
      exc_type: 'KeyError',
      exc_message: ['k'],
      exc_module: 'builtins',
    })
    expect(toCeleryException({ type: 'ValidationError', message: 'x: bad', stack: null }).exc_type).toBe(
      'ValueError',
    )
  })

  test('an unlisted name becomes a RuntimeError keeping the name in its message, never an arbitrary module', () => {
    const exc = toCeleryException({ type: 'system', message: 'rm -rf', stack: null })
    expect(exc).toEqual({ exc_type: 'RuntimeError', exc_message: ['system: rm -rf'], exc_module: 'builtins' })
  })

  test('a class the config lists keeps its module', () => {
    const exc = toCeleryException({ type: 'PaymentDeclined', message: 'no', stack: null }, [
      'shop.errors.PaymentDeclined',
    ])
    expect(exc).toMatchObject({ exc_type: 'PaymentDeclined', exc_module: 'shop.errors' })
  })
})

describe("kombu's priority lists", () => {
  test('names every queue step 0 list first, then steps 3, 6, 9 (priority 0 is served first on Redis)', () => {
    expect(celeryQueueLists(['a', 'b'])).toEqual([
      'a',
      'b',
      'a\x06\x163',
      'b\x06\x163',
      'a\x06\x166',
      'b\x06\x166',
      'a\x06\x169',
      'b\x06\x169',
    ])
    expect(celeryList('a', 5)).toBe('a\x06\x163')
  })
})
