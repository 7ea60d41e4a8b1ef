import type { ApiResponse } from './api-harness.ts'

/** What a case sends through: the in-process app (api-harness) or a real server over HTTP. */
export interface Api {
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<ApiResponse>
  post(path: string, body: unknown, init?: RequestInit & { token?: string | null }): Promise<ApiResponse>
}
export interface Case {
  name: string
  send: (api: Api) => Promise<ApiResponse>
  status: number
  error: string
  fields?: string[]
}

const json = { 'content-type': 'application/json' }
const raw = (
  api: Api,
  path: string,
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = json,
  method = 'POST',
) => api.request(path, { method, body, headers })
const sleep = '/api/v1/tasks/debug.sleep'
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString()

/** Bad requests and the JSON error each must get; the api runs with a 64 KiB body limit and a 1 h ETA horizon. */
export const CASES: Case[] = [
  { name: 'truncated JSON', send: (a) => raw(a, sleep, '{"ms": '), status: 400, error: 'invalid_json' },
  {
    name: 'JSON with a trailing comma',
    send: (a) => raw(a, sleep, '{"ms": 1,}'),
    status: 400,
    error: 'invalid_json',
  },
  {
    name: 'a wrong type',
    send: (a) => a.post(sleep, { ms: 'x' }),
    status: 400,
    error: 'validation',
    fields: ['ms'],
  },
  {
    name: 'a missing field',
    send: (a) => a.post(sleep, {}),
    status: 400,
    error: 'validation',
    fields: ['ms'],
  },
  {
    name: 'an integer above 2^53',
    send: (a) => raw(a, sleep, '{"ms": 9007199254740993}'),
    status: 400,
    error: 'unsafe_integer',
  },
  {
    name: 'a negative integer below -2^53',
    send: (a) => raw(a, sleep, '{"x": [-12345678901234567890]}'),
    status: 400,
    error: 'unsafe_integer',
  },
  {
    name: 'a lone high surrogate',
    send: (a) => raw(a, sleep, '{"ms": 1, "s": "\\ud800"}'),
    status: 400,
    error: 'invalid_unicode',
  },
  {
    name: 'a lone low surrogate in a key',
    send: (a) => raw(a, sleep, '{"\\uDC00": 1}'),
    status: 400,
    error: 'invalid_unicode',
  },
  {
    name: 'bytes that are not UTF-8',
    send: (a) => raw(a, sleep, new Uint8Array([123, 34, 0xff, 34, 58, 49, 125])),
    status: 400,
    error: 'invalid_utf8',
  },
  {
    name: 'nesting 10,000 deep',
    send: (a) => raw(a, sleep, `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    status: 400,
    error: 'too_deep',
  },
  {
    name: 'text/plain',
    send: (a) => raw(a, sleep, '{"ms":1}', { 'content-type': 'text/plain' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    send: (a) => raw(a, sleep, '{"ms":1}', {}),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'form data',
    send: (a) => raw(a, sleep, 'ms=1', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'JSON in latin1',
    send: (a) => raw(a, sleep, '{"ms":1}', { 'content-type': 'application/json; charset=latin1' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a body over the limit (Content-Length)',
    send: (a) => raw(a, sleep, `{"ms":1,"pad":"${'x'.repeat(70_000)}"}`),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'a chunked body over the limit',
    send: (a) => raw(a, sleep, chunked(70_000)),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'a negative countdown header',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-countdown': '-1' } }),
    status: 400,
    error: 'validation',
    fields: ['countdown'],
  },
  {
    name: 'a countdown header in words',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-countdown': 'soon' } }),
    status: 400,
    error: 'validation',
    fields: ['countdown'],
  },
  {
    name: 'an ETA beyond the horizon',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-eta': hours(2) } }),
    status: 400,
    error: 'validation',
    fields: ['eta'],
  },
  {
    name: 'a countdown beyond the horizon',
    send: (a) => a.post('/api/v1/tasks', { task: 'debug.noop', options: { countdown: 7_200_000 } }),
    status: 400,
    error: 'validation',
    fields: ['countdown'],
  },
  {
    name: 'an ETA that is not a date',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-eta': 'tomorrow' } }),
    status: 400,
    error: 'validation',
    fields: ['eta'],
  },
  {
    name: 'priority 10',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-priority': '10' } }),
    status: 400,
    error: 'validation',
    fields: ['priority'],
  },
  {
    name: 'a queue name with a space',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'celeriac-queue': 'bad queue' } }),
    status: 400,
    error: 'validation',
    fields: ['queue'],
  },
  {
    name: 'a 500-character idempotency key',
    send: (a) => a.post(sleep, { ms: 1 }, { headers: { 'idempotency-key': 'k'.repeat(500) } }),
    status: 400,
    error: 'validation',
    fields: ['idempotencyKey'],
  },
  {
    name: 'an envelope with wrong types',
    send: (a) => a.post('/api/v1/tasks', { task: 5, args: 'x' }),
    status: 400,
    error: 'validation',
    fields: ['task', ''],
  },
  {
    name: 'an envelope that is an array',
    send: (a) => a.post('/api/v1/tasks', [1, 2]),
    status: 400,
    error: 'validation',
  },
  {
    name: 'an empty batch',
    send: (a) => a.post('/api/v1/tasks', { tasks: [] }),
    status: 400,
    error: 'validation',
    fields: ['tasks'],
  },
  {
    name: 'a batch of 1001',
    send: (a) => a.post('/api/v1/tasks', { tasks: Array(1001).fill({ task: 'debug.noop' }) }),
    status: 400,
    error: 'validation',
    fields: ['tasks'],
  },
  {
    name: 'an unknown task in a batch',
    send: (a) => a.post('/api/v1/tasks', { tasks: [{ task: 'debug.noop' }, { task: 'nope' }] }),
    status: 404,
    error: 'unknown_task',
  },
  {
    name: 'countdown and eta together',
    send: (a) => a.post('/api/v1/tasks', { task: 'debug.noop', options: { countdown: 1, eta: 1 } }),
    status: 400,
    error: 'validation',
    fields: ['options.eta'],
  },
  {
    name: 'an unknown option',
    send: (a) => a.post('/api/v1/tasks', { task: 'debug.noop', options: { delay: 1 } }),
    status: 400,
    error: 'validation',
    fields: ['options'],
  },
  {
    name: 'an unknown state filter',
    send: (a) => a.request('/api/v1/tasks?state=DONE'),
    status: 400,
    error: 'validation',
    fields: ['state'],
  },
  {
    name: 'limit 0',
    send: (a) => a.request('/api/v1/tasks?limit=0'),
    status: 400,
    error: 'validation',
    fields: ['limit'],
  },
  {
    name: 'limit in words',
    send: (a) => a.request('/api/v1/tasks?limit=many'),
    status: 400,
    error: 'validation',
    fields: ['limit'],
  },
  {
    name: 'since in words',
    send: (a) => a.request('/api/v1/tasks?since=yesterday'),
    status: 400,
    error: 'validation',
    fields: ['since'],
  },
  {
    name: 'an unknown query parameter',
    send: (a) => a.request('/api/v1/tasks?stat=FAILURE'),
    status: 400,
    error: 'validation',
    fields: [''],
  },
  {
    name: 'a forged cursor',
    send: (a) => a.request('/api/v1/tasks?cursor=not-a-cursor'),
    status: 400,
    error: 'validation',
  },
  {
    name: 'a 101-character id',
    send: (a) => a.request(`/api/v1/tasks/${'i'.repeat(101)}`),
    status: 400,
    error: 'validation',
    fields: ['id'],
  },
  {
    name: 'terminate=maybe',
    send: (a) => a.request('/api/v1/tasks/revoke/x?terminate=maybe', { method: 'DELETE' }),
    status: 400,
    error: 'validation',
    fields: ['terminate'],
  },
  {
    name: 'an unknown events filter',
    send: (a) => a.request('/api/v1/events?tsk=x'),
    status: 400,
    error: 'validation',
  },
  {
    name: 'an unknown route',
    send: (a) => a.request('/api/v1/nothing/here'),
    status: 404,
    error: 'not_found',
  },
  {
    name: 'a wrong method',
    send: (a) => a.request('/api/v1/queues', { method: 'DELETE' }),
    status: 404,
    error: 'not_found',
  },
]

function chunked(size: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(1_000))
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close()
      sent += chunk.length
      controller.enqueue(chunk)
    },
  })
}
