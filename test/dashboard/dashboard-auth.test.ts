import { describe, expect, test } from 'bun:test'
import { makeDashboard, TOKENS } from './dashboard-harness.ts'

describe('dashboard login, sessions and CSRF', () => {
  test('sends a visitor to the login form and back to the page asked for', async () => {
    const d = makeDashboard()
    const res = await d.request('/tasks?state=FAILURE')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Ftasks%3Fstate%3DFAILURE')
    const login = await d.request(res.headers.get('location') as string)
    expect(login.status).toBe(200)
    expect(await login.text()).toContain('value="/tasks?state=FAILURE"')
  })

  test('logs in with a token into an HttpOnly SameSite=Strict cookie that never holds the token', async () => {
    const d = makeDashboard()
    const csrf = await d.csrf()
    const res = await d.post('/login', { _csrf: csrf, token: TOKENS.admin, next: '/tasks' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/tasks')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).not.toContain(TOKENS.admin)
    const page = await d.request('/tasks')
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain(TOKENS.admin)
  })

  test('marks the cookie Secure behind HTTPS (a TLS URL or a proxy saying https), and only then', async () => {
    const cookieOf = async (url: string, headers: Record<string, string> = {}) => {
      const d = makeDashboard()
      const csrf = await d.csrf()
      const body = new URLSearchParams({ _csrf: csrf, token: TOKENS.admin, next: '/tasks' }).toString()
      const res = await d.app.request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: d.cookie(), ...headers },
      })
      expect(res.status).toBe(303)
      return res.headers.get('set-cookie') ?? ''
    }
    expect(await cookieOf('http://dash.example/login')).not.toContain('Secure')
    expect(await cookieOf('https://dash.example/login')).toContain('Secure')
    expect(await cookieOf('http://dash.example/login', { 'x-forwarded-proto': 'https' })).toContain('Secure')
    expect(await cookieOf('http://dash.example/login', { 'x-forwarded-proto': 'http' })).not.toContain(
      'Secure',
    )
  })

  test('refuses a wrong token, and a next that leaves the dashboard', async () => {
    const d = makeDashboard()
    const bad = await d.post('/login', { _csrf: await d.csrf(), token: 'not-a-real-token-000000' })
    expect(bad.status).toBe(401)
    expect(await bad.text()).toContain('not valid')
    expect((await d.request('/')).status).toBe(303)
    const res = await d.post('/login', {
      _csrf: await d.csrf(),
      token: TOKENS.read,
      next: '//evil.example/x',
    })
    expect(res.headers.get('location')).toBe('/')
  })

  test('refuses a POST without the CSRF token, or with another session’s', async () => {
    const d = makeDashboard()
    await d.login(TOKENS.admin)
    const { id } = await d.deps.client.enqueue('debug.noop', {})
    expect((await d.post(`/tasks/${id}/revoke`, {})).status).toBe(403)
    const other = makeDashboard()
    expect((await d.post(`/tasks/${id}/revoke`, { _csrf: await other.csrf() })).status).toBe(403)
    expect((await d.broker.getResult(id))?.state).toBe('PENDING')
    expect((await d.act(`/tasks/${id}/revoke`)).status).toBe(303)
    expect((await d.broker.getResult(id))?.state).toBe('REVOKED')
  })

  test('a login form posted without CSRF is refused too', async () => {
    const d = makeDashboard()
    expect((await d.post('/login', { token: TOKENS.admin })).status).toBe(403)
  })

  test('reading needs the read scope and acting the admin scope', async () => {
    const d = makeDashboard()
    await d.login(TOKENS.read)
    expect((await d.request('/queues')).status).toBe(200)
    const { id } = await d.deps.client.enqueue('debug.noop', {})
    const res = await d.act(`/tasks/${id}/revoke`)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('lacks the &#39;admin&#39; scope')
    const submitOnly = makeDashboard()
    await submitOnly.login(TOKENS.submit)
    expect((await submitOnly.request('/')).status).toBe(403)
  })

  test('a tampered session cookie counts as no session', async () => {
    const d = makeDashboard()
    await d.login(TOKENS.read)
    const forged = d.cookie().replace(/\.(t_[0-9a-f]+)\./, '.t_000000000000.')
    const res = await d.app.request('/', { headers: { cookie: forged } })
    expect(res.status).toBe(303)
  })

  test('logout ends the session', async () => {
    const d = makeDashboard()
    await d.login(TOKENS.admin)
    expect((await d.request('/')).status).toBe(200)
    expect((await d.act('/logout')).status).toBe(303)
    expect((await d.request('/')).status).toBe(303)
  })

  test('with --insecure the pages open without a login but POSTs still need the CSRF token', async () => {
    const d = makeDashboard({ env: { CELERIAC_API_TOKENS: '', CELERIAC_API_INSECURE: 'true' } })
    expect((await d.request('/')).status).toBe(200)
    const { id } = await d.deps.client.enqueue('debug.noop', {})
    expect((await d.post(`/tasks/${id}/revoke`, {})).status).toBe(403)
    expect((await d.act(`/tasks/${id}/revoke`)).status).toBe(303)
  })

  test('event stream: 401 for a visitor, open for a session with read', async () => {
    const d = makeDashboard()
    expect((await d.request('/events')).status).toBe(401)
    await d.login(TOKENS.read)
    const controller = new AbortController()
    const res = await d.request('/events', { signal: controller.signal })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    controller.abort()
  })
})
