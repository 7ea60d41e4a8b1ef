import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHealthRole } from '../../src/cli/health-role.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { createLogger } from '../../src/core/logger.ts'
import { type CeleriacEnv, RunningCeleriac } from './celeriac-process.ts'

const log = createLogger({ level: 'error', json: true })

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function status(url: string, method = 'GET'): Promise<number> {
  return (await fetch(url, { method })).status
}

describe('health role', () => {
  test('answers /healthz while up and /readyz from the role readiness', async () => {
    let ready = true
    const health = createHealthRole({ port: await freePort(), ready: () => ready, log, of: 'worker' })
    await health.start()
    try {
      expect(await status(`${health.url()}/healthz`)).toBe(200)
      expect(await (await fetch(`${health.url()}/readyz`)).json()).toEqual({ status: 'ready' })
      ready = false
      expect(await status(`${health.url()}/readyz`)).toBe(503)
      expect(await status(`${health.url()}/healthz`)).toBe(200)
    } finally {
      expect(await health.stop()).toBe(0)
    }
  })

  test('reports not ready when the readiness check rejects', async () => {
    const ready = () => Promise.reject(new Error('broker unreachable'))
    const health = createHealthRole({ port: await freePort(), ready, log, of: 'beat' })
    await health.start()
    try {
      expect(await status(`${health.url()}/readyz`)).toBe(503)
    } finally {
      await health.stop()
    }
  })

  test('answers 404 to other paths and 405 to writes', async () => {
    const health = createHealthRole({ port: await freePort(), ready: () => true, log, of: 'worker' })
    await health.start()
    try {
      expect(await status(`${health.url()}/metrics`)).toBe(404)
      expect(await status(`${health.url()}/healthz`, 'POST')).toBe(405)
    } finally {
      await health.stop()
    }
  })

  test('serves nothing when no port is configured', async () => {
    const health = createHealthRole({ port: null, ready: () => true, log, of: 'worker' })
    await health.start()
    expect(health.url()).toBe('')
    expect(await health.stop()).toBe(0)
  })

  test('takes its port from CELERIAC_HEALTH_PORT or --health-port, off by default or at 0', () => {
    const at = (env: Record<string, string>, flags: Record<string, string> = {}) =>
      loadConfig({ env, flags }).healthPort
    expect(at({})).toBeNull()
    expect(at({ CELERIAC_HEALTH_PORT: '9091' })).toBe(9091)
    expect(at({ CELERIAC_HEALTH_PORT: '9091' }, { 'health-port': '9092' })).toBe(9092)
    expect(at({ CELERIAC_HEALTH_PORT: '0' })).toBeNull()
    expect(() => at({ CELERIAC_HEALTH_PORT: '70000' })).toThrow(/CELERIAC_HEALTH_PORT/)
  })
})

describe('celeriac worker and beat --health-port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-health-'))
  const where: CeleriacEnv = { cwd: dir, env: { CELERIAC_BROKER_URL: `sqlite://${dir}/health.db` } }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const role of ['worker', 'beat']) {
    test(`${role} serves /healthz and /readyz on the port, and still stops on SIGTERM with exit 0`, async () => {
      const port = await freePort()
      const proc = new RunningCeleriac([role, '--health-port', String(port)], where)
      try {
        await proc.waitForLog(/health on/)
        expect(await status(`http://127.0.0.1:${port}/healthz`)).toBe(200)
        expect(await status(`http://127.0.0.1:${port}/readyz`)).toBe(200)
      } finally {
        expect(await proc.stop('SIGTERM')).toBe(0)
      }
    })
  }
})
