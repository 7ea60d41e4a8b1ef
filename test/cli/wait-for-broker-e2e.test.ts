import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, type RedisServerProcess, startRedisServer } from '../brokers/redis-server-process.ts'
import { RunningCeleriac, runCeleriac } from './celeriac-process.ts'

// A role started while its Redis is down waits for it (alive, not ready) and starts once it
// answers; a client command fails fast, naming the broker. The URL carries a password that
// must never reach the log (the server needs none: ioredis then goes on without it).

const PASSWORD = 'wait-test-secret'
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function place(): { dir: string; port: number; url: string } {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-wait-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const port = freePort()
  return { dir, port, url: `redis://:${PASSWORD}@127.0.0.1:${port}/0` }
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url)).status
  } catch {
    return 0
  }
}

async function waitForStatus(url: string, expected: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await status(url)) !== expected) {
    if (Date.now() > deadline) throw new Error(`${url} never answered ${expected}`)
    await Bun.sleep(100)
  }
}

async function redisOn(port: number): Promise<RedisServerProcess> {
  const server = await startRedisServer([], port)
  cleanups.push(() => server.stop())
  return server
}

const ROLES = {
  worker: { online: /worker online/, portEnv: 'CELERIAC_HEALTH_PORT' },
  beat: { online: /beat started/, portEnv: 'CELERIAC_HEALTH_PORT' },
  api: { online: /api listening/, portEnv: 'CELERIAC_PORT' },
} as const

describe('roles wait for an unreachable broker', () => {
  for (const [role, { online, portEnv }] of Object.entries(ROLES)) {
    test(`${role} waits with /healthz alive and /readyz not ready, and starts once Redis answers`, async () => {
      const { dir, port, url } = place()
      const httpPort = freePort()
      const proc = new RunningCeleriac([role], {
        cwd: dir,
        env: {
          CELERIAC_BROKER_URL: url,
          [portEnv]: String(httpPort),
          CELERIAC_API_TOKENS: 'wait-test-token-0123456789:admin',
        },
      })
      cleanups.push(() => proc.stop('SIGKILL'))
      await proc.waitForLog(new RegExp(`waiting for broker redis://.*127\\.0\\.0\\.1:${port}/0`))
      const base = `http://127.0.0.1:${httpPort}`
      await waitForStatus(`${base}/healthz`, 200)
      expect(await status(`${base}/readyz`)).toBe(503)
      expect(proc.proc.exitCode).toBeNull()

      await redisOn(port)
      await proc.waitForLog(online, 15_000)
      await waitForStatus(`${base}/readyz`, 200)
      expect(proc.stderr).not.toContain(PASSWORD)
      expect(proc.stderr).not.toContain('max retries')
      expect(await proc.stop()).toBe(0)
    }, 40_000)
  }

  test('SIGTERM ends a role that is still waiting for its broker at once', async () => {
    const { dir, url } = place()
    const proc = new RunningCeleriac(['worker'], { cwd: dir, env: { CELERIAC_BROKER_URL: url } })
    cleanups.push(() => proc.stop('SIGKILL'))
    await proc.waitForLog(/waiting for broker/)
    expect(await proc.stop('SIGTERM')).toBe(0)
  }, 20_000)

  test('a client command fails fast naming the broker URL, without its password or a stack', async () => {
    const { dir, url, port } = place()
    for (const args of [
      ['status'],
      ['call', 'debug.noop'],
      ['result', '01a24308-3de1-7089-96a3-4a17869e7fb8'],
    ]) {
      const run = await runCeleriac(args, { cwd: dir, env: { CELERIAC_BROKER_URL: url } })
      expect(run.code, run.stderr).not.toBe(0)
      expect(run.stderr).toContain(`127.0.0.1:${port}`)
      expect(run.stderr).toMatch(/broker redis:\/\/\S+ is not reachable/)
      expect(run.stderr).not.toContain(PASSWORD)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  }, 30_000)
})
