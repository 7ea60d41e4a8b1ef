import { TOKENS } from './api-harness.ts'
/** mulberry32: a tiny seeded PRNG, so a failure replays with the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
  return { next, int, pick }
}
export type Rng = ReturnType<typeof prng>

const SEGMENTS = [
  'debug.noop',
  'debug.sleep',
  'x',
  '..',
  '%2e%2e',
  '%00',
  '%ff',
  '%E0%A4%A',
  'é',
  '😀',
  '',
  'status',
  'revoke',
  'retry',
  'a'.repeat(300),
  '%252e',
  'null',
  '-1',
  '..\\..',
]
const PATHS = [
  '/api/v1/tasks/debug.noop',
  '/api/v1/tasks/debug.sleep',
  '/api/v1/tasks',
  '/api/v1/tasks/{}',
  '/api/v1/tasks/status/{}',
  '/api/v1/tasks/revoke/{}',
  '/api/v1/tasks/{}/revoke',
  '/api/v1/tasks/{}/retry',
  '/api/v1/tasks/email/send',
  '/api/v1/tasks/export',
  '/api/v1/workers',
  '/api/v1/queues',
  '/api/v1/status',
  '/api/v1/health_check',
  '/api/v1/config',
  '/api/v1/openapi.json',
  '/metrics',
  '/healthz',
  '/readyz',
  '/api/v1/{}',
  '/{}',
]
const QUERIES = [
  '',
  '?state=SUCCESS',
  '?state={}',
  '?limit={}',
  '?cursor={}',
  '?since={}',
  '?q={}',
  '?terminate={}',
  '?{}={}',
  '?limit=5&limit=6',
]
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD']
const TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/problem+json',
  'multipart/form-data; boundary=x',
  '',
  'application/json;;;',
  'APPLICATION/JSON',
]
const AUTH = [
  `Bearer ${TOKENS.admin}`,
  `Bearer ${TOKENS.read}`,
  `Bearer ${TOKENS.submit}`,
  'Bearer',
  'Bearer  ',
  'Basic abc',
  `bearer ${TOKENS.admin}`,
  `Bearer ${TOKENS.admin} extra`,
  'Bearer \u00e9\u00e9',
  `Bearer ${'x'.repeat(5000)}`,
]
const OPTION_HEADERS = [
  'celeriac-countdown',
  'celeriac-eta',
  'celeriac-priority',
  'celeriac-queue',
  'celeriac-expires',
  'idempotency-key',
  'last-event-id',
]
const WEIRD = [
  '-1',
  '1e309',
  '9007199254740993',
  'NaN',
  '',
  ' ',
  '0',
  '10',
  'abc',
  '2026-13-45T00:00:00Z',
  '\u00ff',
  '99999999999999999999',
  '1.5',
  'a'.repeat(400),
]

function value(r: Rng, depth: number): unknown {
  const kind = r.int(depth > 3 ? 5 : 8)
  if (kind === 0) return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, 3])
  if (kind === 1)
    return r.pick(['', 'x', 'é😀', '\u0000', 'a'.repeat(r.int(2000)), '<script>', '$' + '{x}', '{{x}}'])
  if (kind === 2) return r.pick([true, false, null])
  if (kind === 3) return r.pick(['debug.noop', 'debug.sleep', 'nope', 5])
  if (kind === 4) return r.int(10)
  if (kind === 5) return Array.from({ length: r.int(5) }, () => value(r, depth + 1))
  const keys = [
    'ms',
    'task',
    'tasks',
    'input',
    'options',
    'countdown',
    'eta',
    'priority',
    'queue',
    'times',
    '__proto__',
    'constructor',
    'id',
  ]
  return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(keys), value(r, depth + 1)]))
}

/** A JSON body, sometimes mangled: truncated, spliced with raw bytes, big integers, surrogate escapes. */
function body(r: Rng): string | Uint8Array | undefined {
  if (r.int(6) === 0) return undefined
  let text = JSON.stringify(value(r, 0)) ?? 'null'
  const mangle = r.int(8)
  if (mangle === 0) text = text.slice(0, r.int(text.length + 1))
  if (mangle === 1) text = text.replace(/\d+/, '123456789012345678901234567890')
  if (mangle === 2) text = text.replace(/"([^"]*)"/, '"\\ud83d$1"')
  if (mangle === 3) text = `${'['.repeat(r.int(200))}${text}`
  if (mangle === 4) {
    const bytes = new TextEncoder().encode(text)
    const at = r.int(bytes.length + 1)
    return new Uint8Array([...bytes.slice(0, at), r.pick([0xff, 0xc0, 0xed, 0x80]), ...bytes.slice(at)])
  }
  return text
}

export function request(r: Rng): { path: string; init: RequestInit } {
  const fill = (t: string) => t.replace(/\{\}/g, () => r.pick(SEGMENTS))
  const path = fill(r.pick(PATHS)) + fill(r.pick(QUERIES))
  const headers: Record<string, string> = {}
  // Mostly a valid admin token, so requests get past auth and reach the routes' own checks.
  if (r.int(10) > 0) headers.authorization = r.int(3) > 0 ? `Bearer ${TOKENS.admin}` : r.pick(AUTH)
  if (r.int(4) > 0) headers['content-type'] = r.pick(TYPES)
  for (let i = r.int(3); i > 0; i--) headers[r.pick(OPTION_HEADERS)] = r.pick(WEIRD)
  const method = r.int(2) === 0 ? 'POST' : r.pick(METHODS)
  const init: RequestInit = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') init.body = body(r)
  return { path, init }
}
