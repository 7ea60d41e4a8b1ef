import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBroker } from '../../src/brokers/create-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'
import { type CeleriacEnv, RunningCeleriac } from '../cli/celeriac-process.ts'

const running: RunningCeleriac[] = []
const dirs: string[] = []
const prefixes: string[] = []
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  await deleteKeys(REDIS_URL, prefixes.splice(0))
})

const BROKERS = {
  sqlite: (dir: string) => `sqlite://${join(dir, 'beat.db')}`,
  redis: () => {
    const prefix = testPrefix('beat')
    prefixes.push(prefix)
    return `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`
  },
}

function place(engine: keyof typeof BROKERS): { where: CeleriacEnv; url: string } {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-beat-proc-'))
  dirs.push(dir)
  const url = BROKERS[engine](dir)
  const env = {
    CELERIAC_BROKER_URL: url,
    CELERIAC_SCHEDULES: JSON.stringify([{ name: 'tick', task: 'debug.noop', every: '1s' }]),
    CELERIAC_BEAT_DEFAULTS: 'false',
    CELERIAC_BEAT_LOCK_TTL_MS: '2000',
    CELERIAC_BEAT_TICK_MS: '100',
  }
  return { where: { cwd: dir, env }, url }
}

function beat(where: CeleriacEnv): RunningCeleriac {
  const proc = new RunningCeleriac(['beat'], where)
  running.push(proc)
  return proc
}

/** Enqueue times of the fired tasks (oldest first), and the fires beat recorded. */
async function fired(url: string): Promise<{ times: number[]; runs: number }> {
  const broker = createBroker(url, { clock: systemClock })
  try {
    const page = await broker.listTasks({ name: 'debug.noop', limit: 10_000 })
    const runs = (await broker.getSchedule('tick'))?.state.totalRuns ?? 0
    return { times: page.tasks.map((t) => t.createdAt).sort((a, b) => a - b), runs }
  } finally {
    await broker.close()
  }
}

/** Waits until beat has recorded at least `runs` fires of 'tick'. */
async function waitForRuns(url: string, runs: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await fired(url)).runs < runs) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${runs} fires`)
    await Bun.sleep(100)
  }
}

describe.each(Object.keys(BROKERS) as (keyof typeof BROKERS)[])('beat processes on %s', (engine) => {
  test('two beats fire each time once; kill -9 of the leader hands over within the TTL; a restart does not burst', async () => {
    const { where, url: db } = place(engine)
    const a = beat(where)
    await a.waitForLog(/beat: leading/)
    const b = beat(where)
    await b.waitForLog(/beat started/)
    // Three fires while both run: the leader fires, the other one stays a follower.
    const firstRuns = (await fired(db)).runs
    await waitForRuns(db, firstRuns + 3)
    expect(b.stderr).not.toMatch(/beat: leading/)
    a.proc.kill('SIGKILL')
    const killedAt = Date.now()
    await b.waitForLog(/beat: leading/, 5_000)
    const handover = Date.now() - killedAt
    const runsAtHandover = (await fired(db)).runs
    await waitForRuns(db, runsAtHandover + 2) // the new leader fires
    expect(await b.stop()).toBe(0)
    const { times, runs } = await fired(db)
    // Each fire time once: a fire recorded by two leaders would count more runs than tasks, and
    // there is at most one task per second elapsed (slots of the handover are fired late by the
    // new leader, never doubled).
    expect(times.length).toBe(runs)
    expect(times.length).toBeLessThanOrEqual(Math.ceil(((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1_000) + 1)
    expect(handover).toBeLessThan(2_000 + 1_000)
    expect(times.length).toBeGreaterThanOrEqual(5)

    // Down for longer than a handover (2 s lease + two ticks): an outage, which catchUp governs.
    await Bun.sleep(5_000)
    const before = (await fired(db)).times.length
    const restartedAt = Date.now()
    const c = beat(where)
    await c.waitForLog(/beat: leading/)
    await waitForRuns(db, before + 1)
    expect(await c.stop()).toBe(0)
    const ranMs = Date.now() - restartedAt
    // The fires missed while stopped (5 s: five of them) are not replayed (catchUp skip): after
    // the restart beat fires one a second.
    expect((await fired(db)).times.length - before).toBeLessThanOrEqual(Math.ceil(ranMs / 1_000) + 1)
  }, 40_000)
})
