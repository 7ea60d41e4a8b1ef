import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type RedisServerProcess,
  startRedisCluster,
  startRedisServer,
} from '../brokers/redis-server-process.ts'
import { RunningCeleriac } from './celeriac-process.ts'

// SIGTERM ends a role within its grace even when the broker stops answering under it.

const GRACE_MS = 2_000
/** Room for process exit and a loaded machine; the fault was "never exits". */
const MARGIN_MS = 8_000

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function start(args: string[], url: string): RunningCeleriac {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-stop-'))
  const proc = new RunningCeleriac(args, {
    cwd: dir,
    env: {
      CELERIAC_BROKER_URL: url,
      CELERIAC_GRACE_MS: String(GRACE_MS),
      CELERIAC_API_TOKENS: 'stop-test-token-0123456789:admin',
      CELERIAC_PORT: '0',
    },
  })
  cleanups.push(async () => {
    await proc.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  return proc
}

/** Milliseconds from SIGTERM to exit. */
async function timeToStop(proc: RunningCeleriac): Promise<number> {
  const at = Date.now()
  proc.proc.kill('SIGTERM')
  const exited = await Promise.race([
    proc.proc.exited.then(() => true),
    Bun.sleep(GRACE_MS + MARGIN_MS + 5_000).then(() => false),
  ])
  expect(exited, `did not exit on SIGTERM:\n${proc.stderr}`).toBe(true)
  return Date.now() - at
}

async function server(): Promise<RedisServerProcess> {
  const s = await startRedisServer()
  cleanups.push(async () => {
    try {
      process.kill(s.pid(), 'SIGCONT')
    } catch {
      // already gone
    }
    await s.stop()
  })
  return s
}

describe('SIGTERM with an unreachable broker', () => {
  for (const role of ['worker', 'beat', 'api', 'all']) {
    test(`${role} exits within the grace when its Redis is stalled (SIGSTOP)`, async () => {
      const s = await server()
      const proc = start([role], s.url)
      await proc.waitForLog(
        role === 'beat' ? /beat started/ : role === 'api' ? /api listening/ : /worker online/,
      )
      process.kill(s.pid(), 'SIGSTOP')
      await Bun.sleep(300)
      expect(await timeToStop(proc)).toBeLessThan(GRACE_MS + MARGIN_MS)
    }, 30_000)
  }

  test('a worker exits within the grace when its Redis is killed', async () => {
    const s = await server()
    const proc = start(['worker'], s.url)
    await proc.waitForLog(/worker online/)
    await s.kill9()
    await Bun.sleep(300)
    expect(await timeToStop(proc)).toBeLessThan(GRACE_MS + MARGIN_MS)
  }, 30_000)

  test('a worker exits within the grace when its Redis Cluster becomes unreachable', async () => {
    const cluster = await startRedisCluster()
    cleanups.push(() => cluster.stop())
    const proc = start(['worker'], cluster.url)
    await proc.waitForLog(/worker online/)
    for (const node of cluster.nodes) await node.kill9()
    await Bun.sleep(300)
    expect(await timeToStop(proc)).toBeLessThan(GRACE_MS + MARGIN_MS)
  }, 60_000)
})
