import { describe, expect, test } from 'bun:test'
import { createApi } from '../../src/server/create-api.ts'
import { csrfOf, makeDashboard, TOKENS } from './dashboard-harness.ts'

const SCHEDULE = {
  name: 'nightly',
  task: 'debug.noop',
  cron: '0 3 * * *',
  every: '',
  timezone: 'UTC',
  queue: '',
  input: '{}',
  enabled: 'true',
}

/** Logged in as admin with one schedule; returns the session cookie and CSRF token a thief would copy. */
async function loggedInWithSchedule() {
  const d = makeDashboard({ env: { CELERIAC_BEAT_DEFAULTS: 'false' } })
  expect((await d.login(TOKENS.admin)).status).toBe(303)
  expect((await d.act('/schedules', SCHEDULE)).status).toBe(303)
  const stolen = { cookie: d.cookie(), csrf: await d.csrf() }
  return { d, stolen }
}

/** A POST with a given cookie and CSRF token, as a replaying attacker would send it. */
function replay(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  path: string,
  stolen: { cookie: string; csrf: string },
) {
  return app.request(path, {
    method: 'POST',
    body: new URLSearchParams({ _csrf: stolen.csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: stolen.cookie },
  })
}

describe('dashboard logout ends the session on the server', () => {
  test('the cookie of a logged-out session cannot delete a schedule any more', async () => {
    const { d, stolen } = await loggedInWithSchedule()
    expect((await d.act('/logout')).status).toBe(303)
    const res = await replay(d.app, '/schedules/nightly/delete', stolen)
    expect(res.status).toBe(401)
    expect(await d.deps.schedules.getSchedule('nightly')).not.toBeNull()
  })

  test('a page opened with the old cookie goes to the login form', async () => {
    const { d, stolen } = await loggedInWithSchedule()
    await d.act('/logout')
    const res = await d.app.request('/schedules', { headers: { cookie: stolen.cookie } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toStartWith('/login')
  })

  test('another api process on the same broker refuses the logged-out cookie too', async () => {
    const { d, stolen } = await loggedInWithSchedule()
    const other = createApi({ broker: d.broker, registry: d.registry, config: d.config })
    try {
      // Before logout the other process accepts the session: cookies are shared between processes.
      const page = await other.app.request('/schedules', { headers: { cookie: stolen.cookie } })
      expect(page.status).toBe(200)
      expect(csrfOf(await page.text())).toBe(stolen.csrf)
      await d.act('/logout')
      expect((await replay(other.app, '/schedules/nightly/delete', stolen)).status).toBe(401)
      expect(await d.deps.schedules.getSchedule('nightly')).not.toBeNull()
    } finally {
      other.close()
      await other.tail.stop()
    }
  })

  test('logging in again after logout works, and other sessions of the same token stay valid', async () => {
    const { d } = await loggedInWithSchedule()
    const second = makeDashboard()
    await second.login(TOKENS.admin)
    await d.act('/logout')
    expect((await d.login(TOKENS.admin)).status).toBe(303)
    expect((await d.request('/schedules')).status).toBe(200)
    expect((await second.request('/tasks')).status).toBe(200)
  })
})
