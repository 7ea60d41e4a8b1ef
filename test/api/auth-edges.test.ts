import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { FailureWindow } from '../../src/auth/failure-window.ts'
import { createTokenChecker } from '../../src/auth/token-checker.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { createLogger } from '../../src/core/logger.ts'
import { createApi } from '../../src/server/create-api.ts'
import { makeApi, TOKENS } from './api-harness.ts'

// Edges of the API's authentication that mutation testing (bench/mutation.ts) showed untested: the
// Authorization header's exact syntax, the challenges, the brute-force window's arithmetic and
// memory bound, and how the client address is found.

const fromIp = (address: string) => ({ requestIP: () => ({ address }) })

function bruteForceApi() {
  const clock = new FakeClock()
  const api = makeApi({ clock, settings: { bruteForce: { maxFailures: 3, windowMs: 60_000 } } })
  const send = (authorization: string | null, env: unknown = fromIp('10.0.0.1')) =>
    api.app.request(
      '/api/v1/queues',
      { headers: authorization === null ? {} : { authorization } },
      env as Record<string, unknown>,
    )
  return { clock, send }
}

describe('Authorization header syntax', () => {
  test('accepts the scheme in any case with spaces or tabs around the token', async () => {
    const { send } = bruteForceApi()
    for (const header of [
      `bearer ${TOKENS.read}`,
      `BEARER \t ${TOKENS.read}`,
      `Bearer  ${TOKENS.read}  `,
      `Bearer ${TOKENS.read}\t`,
    ]) {
      expect((await send(header)).status).toBe(200)
    }
  })

  test('refuses anything before the scheme or after the token', async () => {
    const { send } = bruteForceApi()
    for (const header of [`xBearer ${TOKENS.read}`, `Bearer ${TOKENS.read} extra`, `Bearer${TOKENS.read}`]) {
      expect((await send(header, fromIp(header))).status).toBe(401)
    }
  })

  test('answers a missing header with a plain challenge and does not count it as a failed attempt', async () => {
    const { send } = bruteForceApi()
    for (let i = 0; i < 5; i++) {
      const res = await send(null)
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="celeriac"')
      expect(await res.json()).toMatchObject({ message: 'send Authorization: Bearer <token>' })
    }
  })

  test('answers a wrong token with an invalid_token challenge', async () => {
    const { send } = bruteForceApi()
    const res = await send('Bearer wrong-token-0123456789')
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="celeriac", error="invalid_token"')
    expect(await res.json()).toMatchObject({ error: 'unauthorized', message: 'invalid token' })
  })
})

describe('brute-force window', () => {
  test('says how many seconds are left, counting from the oldest failure in the window', async () => {
    const { clock, send } = bruteForceApi()
    for (let i = 0; i < 3; i++) await send(`Bearer bad-${i}-0123456789`)
    const blocked = await send('Bearer bad-x-0123456789')
    expect(blocked.status).toBe(429)
    expect(blocked.headers.get('retry-after')).toBe('60')
    expect(await blocked.json()).toEqual({
      error: 'too_many_failures',
      message: 'too many failed authentications; wait and retry',
    })
    clock.advance(30_000)
    expect((await send('Bearer bad-x-0123456789')).headers.get('retry-after')).toBe('30')
  })

  test('forgets a failure exactly windowMs after it', async () => {
    const { clock, send } = bruteForceApi()
    for (let i = 0; i < 3; i++) await send(`Bearer bad-${i}-0123456789`)
    clock.advance(59_999)
    expect((await send('Bearer bad-x-0123456789')).status).toBe(429)
    clock.advance(1)
    expect((await send('Bearer bad-x-0123456789')).status).toBe(401)
  })

  test('tracks at most 10 000 addresses, dropping the one that failed longest ago', () => {
    const window = new FailureWindow(1, 60_000)
    window.record('k0', 0)
    for (let i = 1; i < 10_000; i++) window.record(`k${i}`, 0)
    window.record('k0', 1) // failing again makes k0 the newest
    window.record('k10000', 1)
    expect(window.blockedFor('k0', 1)).toBeGreaterThan(0)
    expect(window.blockedFor('k1', 1)).toBe(0)
    expect(window.blockedFor('k2', 1)).toBeGreaterThan(0)
    expect(window.blockedFor('k10000', 1)).toBeGreaterThan(0)
  })
})

describe('client address', () => {
  test('reads the peer address from a { server } environment, each address on its own count', async () => {
    const { send } = bruteForceApi()
    const via = (ip: string) => ({ server: fromIp(ip) })
    for (let i = 0; i < 3; i++) await send(`Bearer bad-${i}-0123456789`, via('10.0.0.7'))
    expect((await send('Bearer bad-x-0123456789', via('10.0.0.7'))).status).toBe(429)
    expect((await send('Bearer bad-x-0123456789', via('10.0.0.8'))).status).toBe(401)
  })

  test('counts a peer without an address, or an environment without a server, as one unknown client', async () => {
    const { send } = bruteForceApi()
    const noAddress = { requestIP: () => null }
    expect((await send('Bearer bad-0-0123456789', noAddress)).status).toBe(401)
    expect((await send('Bearer bad-1-0123456789', {})).status).toBe(401)
    expect((await send('Bearer bad-2-0123456789', { server: {} })).status).toBe(401)
    expect((await send('Bearer bad-x-0123456789', noAddress)).status).toBe(429)
  })
})

describe('scopes and principals', () => {
  test('names the missing scope in a 403', async () => {
    const api = makeApi()
    const res = await api.post('/api/v1/tasks/debug.noop', {}, { token: TOKENS.read })
    expect(await res.json()).toEqual({
      error: 'forbidden',
      message: "this token lacks the 'submit' scope",
      needs: 'submit',
    })
  })

  test("keys a principal by a 12-hex-digit prefix of its token's SHA-256, never the token", () => {
    const check = createTokenChecker([{ token: TOKENS.read, scopes: new Set(['read']) }])
    const prefix = createHash('sha256').update(TOKENS.read).digest('hex').slice(0, 12)
    expect(check(TOKENS.read)?.key).toBe(`t_${prefix}`)
    expect(check('another-token-0123456789')).toBeNull()
  })

  test('logs a rejected token with the client address and path, without the token', async () => {
    const api = makeApi()
    const lines: Record<string, unknown>[] = []
    const log = createLogger({ json: true, level: 'debug', write: (l) => lines.push(JSON.parse(l)) })
    const logged = createApi({ broker: api.broker, registry: api.registry, config: api.config, log })
    await logged.app.request(
      '/api/v1/tasks',
      { headers: { authorization: 'Bearer secret-guess-0123456789' } },
      fromIp('192.0.2.5'),
    )
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'api: rejected a bad token', ip: '192.0.2.5', path: '/api/v1/tasks' }),
    )
    expect(JSON.stringify(lines)).not.toContain('secret-guess')
  })
})
