import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { connect, type Socket } from 'node:net'
import { type HarnessOptions, makeApi, TOKENS } from './api-harness.ts'

/** Generous bound for "the server gave up on it": far above the configured deadlines below. */
const GIVE_UP_MS = 8_000
setDefaultTimeout(20_000)
const BODY_TIMEOUT_MS = 400

const servers: Bun.Server<undefined>[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) await server.stop(true)
})

/** The api over a real Bun.serve, with Bun's idle timeout far above the deadlines under test. */
function serveApi(env: Record<string, string> = {}, options: HarnessOptions = {}) {
  const api = makeApi({
    ...options,
    env: { CELERIAC_API_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), ...env },
  })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: api.app.fetch, idleTimeout: 60 })
  servers.push(server)
  return { api, port: server.port as number }
}

interface Outcome {
  /** What the server wrote before the connection ended (or before GIVE_UP_MS). */
  text: string
  closed: boolean
}

/**
 * Sends `head`, then `drop` every 100 ms (never the whole body) until the server closes or
 * GIVE_UP_MS passes: one byte for a Content-Length body, a one-byte chunk for a chunked one.
 */
function trickle(port: number, head: string, drop = 'a'): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    sockets.push(socket)
    let text = ''
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(drop)
    }, 100)
    const done = (closed: boolean) => {
      clearInterval(drip)
      clearTimeout(giveUp)
      resolve({ text, closed })
    }
    const giveUp = setTimeout(() => done(false), GIVE_UP_MS)
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1')
    })
    socket.on('error', () => {})
    socket.on('close', () => done(true))
    socket.write(head)
  })
}

const jsonPost = (path: string, headers: string[] = []) =>
  [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    'Content-Length: 100000',
    ...headers,
    '',
    '{"a":',
  ].join('\r\n')

describe('slow request bodies', () => {
  test('a body trickled past the deadline gets 408 and the connection is closed', async () => {
    const { port } = serveApi()
    const outcome = await trickle(
      port,
      jsonPost('/api/v1/tasks/debug.noop', [`Authorization: Bearer ${TOKENS.admin}`]),
    )
    expect(outcome.text).toStartWith('HTTP/1.1 408')
    expect(outcome.text).toContain('request_timeout')
    expect(outcome.closed).toBe(true)
  })

  test('a chunked body trickled past the deadline gets 408 too', async () => {
    const { port } = serveApi()
    const head = [
      'POST /api/v1/tasks/debug.noop HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
      `Authorization: Bearer ${TOKENS.admin}`,
      '',
      '1',
      '{',
      '',
    ].join('\r\n')
    const socket = await trickleChunked(port, head)
    expect(socket.text).toStartWith('HTTP/1.1 408')
    expect(socket.closed).toBe(true)
  })

  test('a dashboard login form trickled past the deadline gets 408 and a closed connection', async () => {
    const { port } = serveApi()
    const head = [
      'POST /login HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 100000',
      '',
      '_csrf=',
    ].join('\r\n')
    const outcome = await trickle(port, head)
    expect(outcome.text).toStartWith('HTTP/1.1 408')
    expect(outcome.closed).toBe(true)
  })

  test('without a token the answer is 401 at once and the connection is closed, not held while the body trickles', async () => {
    const { port } = serveApi({ CELERIAC_API_BODY_TIMEOUT_MS: '60000' })
    const outcome = await trickle(port, jsonPost('/api/v1/tasks/debug.noop'))
    expect(outcome.text).toStartWith('HTTP/1.1 401')
    expect(outcome.closed).toBe(true)
  })

  test('one client IP may have only so many unauthenticated bodies arriving at once; the next is refused with 429', async () => {
    const { port } = serveApi({
      CELERIAC_API_BODY_TIMEOUT_MS: '3000',
      CELERIAC_API_MAX_UNAUTHENTICATED_BODIES: '2',
    })
    const login = [
      'POST /login HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 100000',
      '',
      '_csrf=',
    ].join('\r\n')
    const slow = [trickle(port, login), trickle(port, login)]
    await Bun.sleep(300)
    const third = await trickle(port, login)
    expect(third.text).toStartWith('HTTP/1.1 429')
    expect(third.text).toContain('too_many_pending_bodies')
    for (const outcome of await Promise.all(slow)) expect(outcome.text).toStartWith('HTTP/1.1 408')
  })

  test('authenticated requests do not count against that cap', async () => {
    const { port } = serveApi({
      CELERIAC_API_BODY_TIMEOUT_MS: '1500',
      CELERIAC_API_MAX_UNAUTHENTICATED_BODIES: '1',
    })
    const auth = [`Authorization: Bearer ${TOKENS.admin}`]
    const outcomes = await Promise.all(
      Array.from({ length: 3 }, () => trickle(port, jsonPost('/api/v1/tasks/debug.noop', auth))),
    )
    for (const outcome of outcomes) expect(outcome.text).toStartWith('HTTP/1.1 408')
  })

  test('a body that arrives in time is read as usual', async () => {
    const { port } = serveApi()
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tasks/debug.sleep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 1 }),
    })
    expect(res.status).toBe(202)
  })
})

describe('broken request bodies', () => {
  const failingBody = () =>
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'))
        controller.error(new Error('client went away'))
      },
    })

  test('a body stream that errors is a 400, not a 500', async () => {
    const api = makeApi()
    const res = await api.app.request('/api/v1/tasks/debug.noop', {
      method: 'POST',
      body: failingBody(),
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'unreadable_body' })
  })

  test('a login form whose stream errors is refused with a 400, not a 500', async () => {
    const api = makeApi()
    const res = await api.app.request('/login', {
      method: 'POST',
      body: failingBody(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBeLessThan(500)
  })

  test('the client address is still known after the body is wrapped: failures count per peer', async () => {
    const api = makeApi({ settings: { bruteForce: { maxFailures: 2, windowMs: 60_000 } } })
    const send = (peer: string) => {
      const request = new Request('http://x/api/v1/tasks/debug.noop', {
        method: 'POST',
        body: '{}',
        headers: { authorization: 'Bearer bad-token-0123456789', 'content-type': 'application/json' },
      })
      // Like Bun: only the Request object the server created has an address.
      const server = { requestIP: (r: Request) => (r === request ? { address: peer } : null) }
      return api.app.fetch(request, server)
    }
    await send('10.0.0.1')
    await send('10.0.0.1')
    expect((await send('10.0.0.1')).status).toBe(429)
    expect((await send('10.0.0.2')).status).toBe(401)
  })
})

/** A chunked body, one one-byte chunk at a time. */
function trickleChunked(port: number, head: string): Promise<Outcome> {
  return trickle(port, head, '1\r\n \r\n')
}
