import { describe, expect, test } from 'bun:test'
import { FakeClock } from '../../src/core/clock.ts'
import { makeApi, TOKENS } from './api-harness.ts'

/** app.request's env argument stands in for Bun's server: it gives each request a peer address. */
const fromIp = (address: string) => ({ requestIP: () => ({ address }) })

describe('api authentication', () => {
  test('answers 401 with WWW-Authenticate: Bearer without a token, with a wrong one, or with one in the query string', async () => {
    const api = makeApi()
    for (const response of [
      await api.request('/api/v1/tasks', { token: null }),
      await api.request('/api/v1/tasks', { token: 'wrong-token-0123456789' }),
      await api.request(`/api/v1/tasks?token=${TOKENS.admin}&access_token=${TOKENS.admin}`, { token: null }),
      await api.request('/api/v1/tasks', { token: null, headers: { authorization: `Basic ${btoa('a:b')}` } }),
    ]) {
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toStartWith('Bearer')
      expect((await response.json()).error).toBe('unauthorized')
    }
  })

  test('answers 403 when a read-only token enqueues, revokes or retries', async () => {
    const api = makeApi()
    const attempts = [
      await api.post('/api/v1/tasks/debug.noop', {}, { token: TOKENS.read }),
      await api.post('/api/v1/tasks', { task: 'debug.noop' }, { token: TOKENS.read }),
      await api.request('/api/v1/tasks/revoke/x', { method: 'DELETE', token: TOKENS.read }),
      await api.request('/api/v1/tasks/x/revoke', { method: 'POST', token: TOKENS.read }),
      await api.request('/api/v1/tasks/x/retry', { method: 'POST', token: TOKENS.submit }),
      await api.request('/api/v1/config', { token: TOKENS.both }),
    ]
    for (const response of attempts) {
      expect(response.status).toBe(403)
      expect((await response.json()).error).toBe('forbidden')
    }
    expect((await api.request('/api/v1/tasks', { token: TOKENS.submit })).status).toBe(403)
  })

  test('lets admin do everything and read+submit do both', async () => {
    const api = makeApi()
    expect((await api.post('/api/v1/tasks/debug.noop', {}, { token: TOKENS.admin })).status).toBe(202)
    expect((await api.request('/api/v1/tasks', { token: TOKENS.admin })).status).toBe(200)
    expect((await api.post('/api/v1/tasks/debug.noop', {}, { token: TOKENS.both })).status).toBe(202)
    expect((await api.request('/api/v1/queues', { token: TOKENS.both })).status).toBe(200)
  })

  test('keeps /healthz and /readyz open, and /metrics behind a token unless configured otherwise', async () => {
    const api = makeApi()
    expect((await api.request('/healthz', { token: null })).status).toBe(200)
    expect((await api.request('/readyz', { token: null })).status).toBe(200)
    expect((await api.request('/metrics', { token: null })).status).toBe(401)
    expect((await api.request('/metrics', { token: TOKENS.read })).status).toBe(200)
    const open = makeApi({ env: { CELERIAC_METRICS_AUTH: 'false' } })
    expect((await open.request('/metrics', { token: null })).status).toBe(200)
  })

  test('blocks further guesses from an IP with 429 after repeated bad tokens, leaving other clients unaffected', async () => {
    const clock = new FakeClock()
    const api = makeApi({ clock, settings: { bruteForce: { maxFailures: 5, windowMs: 60_000 } } })
    const send = (token: string, ip: string) =>
      api.app.request('/api/v1/queues', { headers: { authorization: `Bearer ${token}` } }, fromIp(ip))
    for (let i = 0; i < 5; i++) expect((await send(`bad-token-${i}-0123456789`, '10.0.0.1')).status).toBe(401)
    const blocked = await send('bad-token-x-0123456789', '10.0.0.1')
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await send('bad-token-x-0123456789', '10.0.0.2')).status).toBe(401)
    clock.advance(60_001)
    expect((await send('bad-token-y-0123456789', '10.0.0.1')).status).toBe(401)
  })

  test('limits requests per token with 429 and Retry-After, each token on its own bucket', async () => {
    const clock = new FakeClock()
    const api = makeApi({ clock, env: { CELERIAC_API_RATE_LIMIT: '3/s' } })
    for (let i = 0; i < 3; i++)
      expect((await api.request('/api/v1/queues', { token: TOKENS.read })).status).toBe(200)
    const limited = await api.request('/api/v1/queues', { token: TOKENS.read })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect((await limited.json()).error).toBe('rate_limited')
    expect((await api.request('/api/v1/queues', { token: TOKENS.admin })).status).toBe(200)
    clock.advance(400)
    expect((await api.request('/api/v1/queues', { token: TOKENS.read })).status).toBe(200)
  })

  test('never writes a token to the log', async () => {
    const lines: string[] = []
    const api = makeApi()
    const { createLogger } = await import('../../src/core/logger.ts')
    const { createApi } = await import('../../src/server/create-api.ts')
    const logged = createApi({
      broker: api.broker,
      registry: api.registry,
      config: api.config,
      log: createLogger({ level: 'debug', write: (l) => lines.push(l) }),
    })
    await logged.app.request('/api/v1/tasks', {
      headers: { authorization: 'Bearer secret-guess-0123456789' },
    })
    await logged.app.request('/api/v1/tasks', { headers: { authorization: `Bearer ${TOKENS.admin}` } })
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).not.toContain('secret-guess')
    expect(lines.join('\n')).not.toContain(TOKENS.admin)
  })

  test('with --insecure and no tokens, lets every request in', async () => {
    const api = makeApi({ env: { CELERIAC_API_TOKENS: '', CELERIAC_API_INSECURE: 'true' } })
    expect((await api.post('/api/v1/tasks/debug.noop', {}, { token: null })).status).toBe(202)
    expect((await api.request('/api/v1/config', { token: null })).status).toBe(200)
  })

  test('ignores --insecure when tokens are configured', async () => {
    const api = makeApi({ env: { CELERIAC_API_INSECURE: 'true' } })
    expect((await api.request('/api/v1/tasks', { token: null })).status).toBe(401)
  })
})
