import { afterAll, describe, expect, test } from 'bun:test'
import { loadConfig } from '../../../src/config/load-config.ts'
import { redactConfig } from '../../../src/config/redact-config.ts'
import { createHealthCheckTask, type HealthCheck } from '../../../src/tasks/maintenance/health-check-task.ts'
import { freePort } from '../../brokers/redis-server-process.ts'
import { makeBroker } from '../../worker/helpers.ts'
import { runTask, testServices } from '../file-task-fixtures.ts'

// The app's own dependencies, checked for real: the PostgreSQL the export tests use, the local
// Redis, and an HTTP server of this test.
const POSTGRES = process.env.CELERIAC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS = process.env.CELERIAC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const PASSWORD = 'pw-that-must-never-show'

const http = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch: (req) =>
    new URL(req.url).pathname === '/up' ? new Response('fine') : new Response('down', { status: 503 }),
})
afterAll(() => http.stop(true))

type Report = { ok: boolean; checks: HealthCheck[] }

async function check(
  healthChecks: { name: string; url: string }[],
  outboundAllowList = ['127.0.0.1'],
): Promise<Report> {
  const broker = makeBroker()
  const task = createHealthCheckTask(testServices({ healthChecks, outboundAllowList }, broker))
  return (await runTask(task, {})) as Report
}

function named(report: Report, name: string): HealthCheck | undefined {
  return report.checks.find((c) => c.name === name)
}

describe("system.health_check: the app's own services from config", () => {
  test('reports PostgreSQL, Redis and HTTP checks after the built-in ones, each with ok, ms and detail', async () => {
    const report = await check([
      { name: 'database', url: POSTGRES },
      { name: 'cache', url: REDIS },
      { name: 'storage', url: `http://127.0.0.1:${http.port}/up` },
    ])
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['broker', true],
      ['storage.exports', true],
      ['storage.media', true],
      ['smtp', true],
      ['database', true],
      ['cache', true],
      ['storage', true],
    ])
    expect(report.ok).toBe(true)
    for (const c of report.checks) expect(c.ms).toBeGreaterThanOrEqual(0)
    expect(named(report, 'database')?.detail).toContain('SELECT 1')
    expect(named(report, 'cache')?.detail).toContain('PONG')
    expect(named(report, 'storage')?.detail).toContain('HTTP 200')
  })

  test('fails each unreachable service on its own, never showing a password', async () => {
    const closed = freePort()
    const report = await check([
      { name: 'database', url: `postgres://app:${PASSWORD}@127.0.0.1:${closed}/app` },
      { name: 'cache', url: `redis://:${PASSWORD}@127.0.0.1:${closed}` },
      { name: 'storage', url: `http://127.0.0.1:${http.port}/missing` },
    ])
    expect(report.ok).toBe(false)
    expect(named(report, 'broker')?.ok).toBe(true)
    for (const name of ['database', 'cache', 'storage']) expect(named(report, name)?.ok).toBe(false)
    expect(named(report, 'storage')?.detail).toContain('HTTP 503')
    expect(JSON.stringify(report)).not.toContain(PASSWORD)
  })

  test('fails a PostgreSQL check with wrong credentials without echoing them', async () => {
    const url = new URL(POSTGRES)
    url.username = 'no_such_role_celeriac'
    url.password = PASSWORD
    const report = await check([{ name: 'database', url: url.href }])
    expect(named(report, 'database')?.ok).toBe(false)
    expect(JSON.stringify(report)).not.toContain(PASSWORD)
  })

  test('holds HTTP checks to the outbound rules: a private address needs the allow-list', async () => {
    const report = await check([{ name: 'storage', url: `http://127.0.0.1:${http.port}/up` }], [])
    expect(named(report, 'storage')).toMatchObject({ ok: false })
    expect(named(report, 'storage')?.detail).toContain('loopback')
  })
})

describe('CELERIAC_HEALTH_CHECKS', () => {
  const load = (value: string) => loadConfig({ env: { CELERIAC_HEALTH_CHECKS: value }, flags: {} })

  test('reads a JSON list of {name, url}', () => {
    const config = load(`[{"name":"database","url":"${POSTGRES}"},{"name":"cache","url":"${REDIS}"}]`)
    expect(config.healthChecks.map((c) => c.name)).toEqual(['database', 'cache'])
  })

  test('shows its URLs without their passwords wherever the config is shown', () => {
    const config = load(`[{"name":"database","url":"postgres://app:${PASSWORD}@db.internal:5432/app"}]`)
    expect(redactConfig(config).healthChecks).toEqual([
      { name: 'database', url: 'postgres://app:***@db.internal:5432/app' },
    ])
  })

  test('refuses another scheme, a duplicate or built-in name, naming the field and hiding the URL', () => {
    expect(() => load(`[{"name":"ftp","url":"ftp://u:${PASSWORD}@files.example.com"}]`)).toThrow(
      /CELERIAC_HEALTH_CHECKS/,
    )
    try {
      load(`[{"name":"ftp","url":"ftp://u:${PASSWORD}@files.example.com"}]`)
    } catch (err) {
      expect(String(err)).not.toContain(PASSWORD)
      expect(String(err)).toContain('postgres://, redis://, rediss://, http:// or https://')
    }
    expect(() => load(`[{"name":"a","url":"${REDIS}"},{"name":"a","url":"${REDIS}"}]`)).toThrow(
      /duplicate check name 'a'/,
    )
    expect(() => load(`[{"name":"broker","url":"${REDIS}"}]`)).toThrow(/'broker' is a built-in check/)
  })
})
