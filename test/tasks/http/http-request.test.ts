import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { type Config, DEFAULT_CONFIG } from '../../../src/config/config-schema.ts'
import { buildMessage } from '../../../src/core/build-message.ts'
import { systemClock } from '../../../src/core/clock.ts'
import { createHttpRequestTask } from '../../../src/tasks/http/http-request-task.ts'
import { createNotifyTask } from '../../../src/tasks/notify/notify-task.ts'
import { createTaskServices } from '../../../src/tasks/task-services.ts'
import { runOnce } from '../run-once.ts'

const SECRET = 'a-test-secret-of-32-characters!!'
const seen: { method: string; path: string; headers: Headers; body: string }[] = []
let server: ReturnType<typeof Bun.serve>
let base: string

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url)
      seen.push({ method: req.method, path: url.pathname, headers: req.headers, body: await req.text() })
      const status = Number(url.searchParams.get('status') ?? 200)
      if (url.pathname === '/slow') await Bun.sleep(2_000)
      if (url.pathname === '/redirect') {
        return new Response(null, { status: 302, headers: { location: url.searchParams.get('to') ?? '/' } })
      }
      if (url.pathname === '/loop') return new Response(null, { status: 307, headers: { location: '/loop' } })
      return new Response(`answer ${status}`, { status, headers: { 'x-answer': 'yes' } })
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))
afterEach(() => {
  seen.length = 0
})

/** The test server is on loopback, so this test allow-lists 127.0.0.1 (and only it). */
function httpTask(over: Partial<Config> = {}) {
  const config = { ...DEFAULT_CONFIG, outboundAllowList: ['127.0.0.1'], ...over }
  return createHttpRequestTask(createTaskServices({ config }))
}

describe('http.request', () => {
  test('returns status, headers and body of a 2xx answer', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/ok`, method: 'POST', body: { a: 1 } })
    expect(outcome).toMatchObject({
      kind: 'ack',
      result: { status: 200, body: 'answer 200', truncated: false },
    })
    expect(seen[0]?.body).toBe('{"a":1}')
    expect(seen[0]?.headers.get('content-type')).toBe('application/json')
    expect(seen[0]?.headers.get('x-celeriac-signature')).toBeNull()
  })

  test('fails a 4xx at once, without retry', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/x?status=404`, method: 'GET' })
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain('http 404')
  })

  test('retries a 5xx', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/x?status=503`, body: 'x' })
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'HttpStatusError' } })
  })

  test('retries a connection refused', async () => {
    const { outcome } = await runOnce(httpTask(), { url: 'http://127.0.0.1:1/', method: 'GET' })
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'HttpNetworkError' } })
  })

  test('retries after the timeout when the server does not answer in time', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/slow`, method: 'GET', timeout: 200 })
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'HttpNetworkError' } })
    expect(outcome.kind === 'retry' && outcome.error.message).toContain('no answer within 200 ms')
  })

  test('signs the body with HMAC-SHA256 over timestamp and body when a secret is configured', async () => {
    const body = '{"event":"paid","id":42}'
    const task = httpTask({ webhookSecret: SECRET })
    await runOnce(task, { url: `${base}/hook`, body, headers: { 'Content-Type': 'application/json' } })
    const headers = seen[0]?.headers as Headers
    const timestamp = headers.get('x-celeriac-timestamp') as string
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5)
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')
    expect(headers.get('x-celeriac-signature')).toBe(`sha256=${expected}`)
    expect(seen[0]?.body).toBe(body)
  })

  test('refuses sign: true without a configured secret', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/hook`, body: 'x', sign: true })
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(seen).toHaveLength(0)
  })

  test('follows a redirect to an allowed URL, re-checking it', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/redirect?to=/final`, method: 'GET' })
    expect(outcome).toMatchObject({ kind: 'ack', result: { status: 200, url: `${base}/final` } })
  })

  test.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.2/',
    'http://[::1]/',
    'http://10.0.0.1/',
    'http://2130706434/', // 127.0.0.2: 127.0.0.1 is allow-listed in this test, its neighbour is not
    'http://0x7f.0.0.2/',
    'http://localhost/',
    'file:///etc/passwd',
  ])('refuses a redirect to %s without requesting it', async (target) => {
    const url = `${base}/redirect?to=${encodeURIComponent(target)}`
    const { outcome } = await runOnce(httpTask(), { url, method: 'GET' })
    expect(outcome).toMatchObject({
      kind: 'fail',
      reason: 'unrecoverable',
      error: { type: 'OutboundUrlError' },
    })
    expect(seen.map((s) => s.path)).toEqual(['/redirect'])
  })

  test('stops after 5 redirects', async () => {
    const { outcome } = await runOnce(httpTask(), { url: `${base}/loop`, method: 'GET' })
    expect(outcome).toMatchObject({
      kind: 'fail',
      error: { message: expect.stringContaining('more than 5 redirects') },
    })
    expect(seen).toHaveLength(6)
  })

  test.each([
    ['url', { url: 'http://169.254.169.254/' }],
    ['url', { url: 'http://0177.0.0.1/' }],
    ['url', { url: 'gopher://example.com/' }],
    ['headers.X-A', { headers: { 'X-A': 'a\r\nX-Injected: 1' } }],
    ['headers.Host', { headers: { Host: 'evil.example' } }],
    ['body', { method: 'GET', body: 'x' }],
  ])('rejects a bad %s at enqueue', (field, bad) => {
    const task = createHttpRequestTask(createTaskServices())
    const input = { url: 'https://example.com/hook', ...bad }
    expect(() => buildMessage(task, input, {}, systemClock)).toThrow(`input: ${field}: `)
  })

  test('refuses a name that resolves to loopback at send time, unless the name is allow-listed', async () => {
    // A public-looking name passes the enqueue check; DNS (faked here) says loopback.
    const resolveHost = async () => ['127.0.0.1']
    const input = { url: `http://hooks.example.test:${server.port}/named`, method: 'GET' }
    const strict = createHttpRequestTask(createTaskServices({ resolveHost }))
    const { outcome: refused } = await runOnce(strict, input)
    expect(refused).toMatchObject({ kind: 'fail', error: { type: 'OutboundUrlError' } })
    expect(seen).toHaveLength(0)

    const config = { ...DEFAULT_CONFIG, outboundAllowList: ['hooks.example.test'] }
    const allowed = createHttpRequestTask(createTaskServices({ config, resolveHost }))
    const { outcome } = await runOnce(allowed, input)
    expect(outcome).toMatchObject({ kind: 'ack', result: { status: 200, url: input.url } })
    // Connected to the checked address, with the name kept in the Host header.
    expect(seen[0]?.headers.get('host')).toBe(`hooks.example.test:${server.port}`)
  })
})

describe('notify', () => {
  test('posts the payload as signed JSON on the webhook channel', async () => {
    const config = { ...DEFAULT_CONFIG, outboundAllowList: ['127.0.0.1'], webhookSecret: SECRET }
    const task = createNotifyTask(createTaskServices({ config }))
    const { outcome } = await runOnce(task, {
      channel: 'webhook',
      url: `${base}/n`,
      payload: { hello: 'world' },
    })
    expect(outcome).toMatchObject({ kind: 'ack', result: { channel: 'webhook', status: 200 } })
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"hello":"world"}' })
    expect(seen[0]?.headers.get('x-celeriac-signature')).toStartWith('sha256=')
  })

  test('checks the webhook URL at enqueue', () => {
    const task = createNotifyTask(createTaskServices())
    const input = { channel: 'webhook', url: 'http://[::ffff:169.254.169.254]/' }
    expect(() => buildMessage(task, input, {}, systemClock)).toThrow('input: url: ')
  })
})
