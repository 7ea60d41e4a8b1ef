import { describe, expect, test } from 'bun:test'
import { FakeClock } from '../../src/core/clock.ts'
import { csrfOf } from '../dashboard/dashboard-harness.ts'
import { makeApi, TOKENS } from './api-harness.ts'

const fromIp = (address: string) => ({ requestIP: () => ({ address }) })
const BAD = (i: number) => `Bearer bad-${i}-0123456789`
const MAX = 3

function guardedApi(env: Record<string, string> = {}) {
  const clock = new FakeClock()
  const api = makeApi({ clock, env, settings: { bruteForce: { maxFailures: MAX, windowMs: 60_000 } } })
  const send = (authorization: string, peer: string, headers: Record<string, string> = {}) =>
    api.app.request('/api/v1/queues', { headers: { authorization, ...headers } }, fromIp(peer))
  /** A dashboard login from `peer`, through the login form with its CSRF token. */
  const login = async (token: string, peer: string) => {
    const page = await api.app.request('/login', {}, fromIp(peer))
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const body = new URLSearchParams({ _csrf: csrfOf(await page.text()), token, next: '' }).toString()
    return api.app.request(
      '/login',
      {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      },
      fromIp(peer),
    )
  }
  return { api, clock, send, login }
}

describe('brute-force lock refuses guesses, never a valid token', () => {
  test('a locked-out IP still gets through with a valid token, and its further guesses get 429', async () => {
    const { send } = guardedApi()
    for (let i = 0; i < MAX; i++) expect((await send(BAD(i), '10.0.0.1')).status).toBe(401)
    expect((await send(BAD(99), '10.0.0.1')).status).toBe(429)
    expect((await send(`Bearer ${TOKENS.read}`, '10.0.0.1')).status).toBe(200)
    expect((await send(BAD(100), '10.0.0.1')).status).toBe(429)
  })

  test('a locked-out IP can still log in to the dashboard with a valid token', async () => {
    const { login } = guardedApi()
    for (let i = 0; i < MAX; i++) expect((await login(`bad-${i}-0123456789`, '10.0.0.1')).status).toBe(401)
    const guess = await login('bad-x-0123456789', '10.0.0.1')
    expect(await guess.text()).toContain('Too many failed attempts')
    expect((await login(TOKENS.admin, '10.0.0.1')).status).toBe(303)
  })
})

describe('one failure budget for the API and the dashboard', () => {
  test('bad bearer tokens use up the budget of dashboard logins from the same IP, and back', async () => {
    const { send, login } = guardedApi()
    for (let i = 0; i < MAX; i++) await send(BAD(i), '10.0.0.1')
    expect(await (await login('bad-x-0123456789', '10.0.0.1')).text()).toContain('Too many failed attempts')
    for (let i = 0; i < MAX; i++) await login(`bad-${i}-0123456789`, '10.0.0.2')
    expect((await send(BAD(9), '10.0.0.2')).status).toBe(429)
  })

  test('/metrics and /api/v1 share the budget too', async () => {
    const { api, send } = guardedApi()
    for (let i = 0; i < MAX; i++) {
      const res = await api.app.request(
        '/metrics',
        { headers: { authorization: BAD(i) } },
        fromIp('10.0.0.1'),
      )
      expect(res.status).toBe(401)
    }
    expect((await send(BAD(9), '10.0.0.1')).status).toBe(429)
  })
})

describe('trusted proxies', () => {
  test('without CELERIAC_TRUSTED_PROXIES, X-Forwarded-For and Fly-Client-IP are ignored', async () => {
    const { send } = guardedApi()
    for (let i = 0; i < MAX; i++) {
      await send(BAD(i), '10.0.0.1', {
        'x-forwarded-for': `203.0.113.${i}`,
        'fly-client-ip': `198.51.100.${i}`,
      })
    }
    const res = await send(BAD(9), '10.0.0.1', {
      'x-forwarded-for': '203.0.113.50',
      'fly-client-ip': '198.51.100.50',
    })
    expect(res.status).toBe(429)
  })

  test('behind a trusted proxy each client has its own budget: bad guesses by one do not lock out the others', async () => {
    const { send } = guardedApi({ CELERIAC_TRUSTED_PROXIES: '10.0.0.0/8' })
    for (let i = 0; i < MAX; i++) await send(BAD(i), '10.0.0.1', { 'x-forwarded-for': '203.0.113.7' })
    expect((await send(BAD(9), '10.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429)
    expect((await send(BAD(9), '10.0.0.1', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(401)
  })

  test('takes the rightmost untrusted hop, so a client cannot choose its address by prepending one', async () => {
    const { send } = guardedApi({ CELERIAC_TRUSTED_PROXIES: '10.0.0.0/8,fdaa::/16' })
    for (let i = 0; i < MAX; i++) {
      // The client wrote the first entry; the proxies appended the real address and their own.
      const chain = `192.0.2.${i}, 203.0.113.7, 10.1.2.3`
      expect((await send(BAD(i), 'fdaa::5', { 'x-forwarded-for': chain })).status).toBe(401)
    }
    const res = await send(BAD(9), '10.0.0.1', { 'x-forwarded-for': '198.51.100.1,203.0.113.7' })
    expect(res.status).toBe(429)
  })

  test('reads Fly-Client-IP from a trusted proxy when there is no X-Forwarded-For', async () => {
    const { send } = guardedApi({ CELERIAC_TRUSTED_PROXIES: 'fdaa::/16' })
    for (let i = 0; i < MAX; i++) await send(BAD(i), 'fdaa::1', { 'fly-client-ip': '203.0.113.7' })
    expect((await send(BAD(9), 'fdaa::2', { 'fly-client-ip': '203.0.113.7' })).status).toBe(429)
    expect((await send(BAD(9), 'fdaa::2', { 'fly-client-ip': '203.0.113.8' })).status).toBe(401)
  })

  test('an untrusted peer is counted by its own address whatever headers it sends', async () => {
    const { send } = guardedApi({ CELERIAC_TRUSTED_PROXIES: '10.0.0.0/8' })
    for (let i = 0; i < MAX; i++) await send(BAD(i), '198.51.100.9', { 'x-forwarded-for': `203.0.113.${i}` })
    expect((await send(BAD(9), '198.51.100.9', { 'x-forwarded-for': '203.0.113.99' })).status).toBe(429)
  })

  test('a forwarded value that is not an IP address falls back to the peer', async () => {
    const { send } = guardedApi({ CELERIAC_TRUSTED_PROXIES: '10.0.0.0/8' })
    for (let i = 0; i < MAX; i++) await send(BAD(i), '10.0.0.1', { 'x-forwarded-for': `junk-${i}` })
    expect((await send(BAD(9), '10.0.0.1', { 'x-forwarded-for': 'more junk' })).status).toBe(429)
  })

  test('a trusted-proxy entry that is not an IP or CIDR is a config error naming the field', () => {
    expect(() => guardedApi({ CELERIAC_TRUSTED_PROXIES: '10.0.0.0/8,proxy.example' })).toThrow(
      'CELERIAC_TRUSTED_PROXIES',
    )
  })
})
