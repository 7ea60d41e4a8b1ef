import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { type CeleriacEnv, RunningCeleriac } from '../cli/celeriac-process.ts'

const running: RunningCeleriac[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function place(): { where: CeleriacEnv; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-beat-proc-'))
  dirs.push(dir)
  const db = join(dir, 'beat.db')
  const env = {
    CELERIAC_BROKER_URL: `sqlite://${db}`,
    CELERIAC_SCHEDULES: JSON.stringify([{ name: 'tick', task: 'debug.noop', every: '1s' }]),
    CELERIAC_BEAT_DEFAULTS: 'false',
    CELERIAC_BEAT_LOCK_TTL_MS: '2000',
    CELERIAC_BEAT_TICK_MS: '100',
  }
  return { where: { cwd: dir, env }, db }
}

function beat(where: CeleriacEnv): RunningCeleriac {
  const proc = new RunningCeleriac(['beat'], where)
  running.push(proc)
  return proc
}

/** Enqueue times of the fired tasks, oldest first. */
async function fired(db: string): Promise<number[]> {
  const broker = createSqliteBroker({ path: db, clock: systemClock })
  try {
    const page = await broker.listTasks({ name: 'debug.noop', limit: 10_000 })
    return page.tasks.map((t) => t.createdAt).sort((a, b) => a - b)
  } finally {
    await broker.close()
  }
}

describe('beat processes', () => {
  test('two beats fire each time once; kill -9 of the leader hands over within the TTL; a restart does not burst', async () => {
    const { where, db } = place()
    const a = beat(where)
    await a.waitForLog(/beat: leading/)
    const b = beat(where)
    await b.waitForLog(/beat started/)
    await Bun.sleep(3_000)
    expect(b.stderr).not.toMatch(/beat: leading/)
    a.proc.kill('SIGKILL')
    const killedAt = Date.now()
    await b.waitForLog(/beat: leading/, 5_000)
    const handover = Date.now() - killedAt
    await Bun.sleep(2_500)
    expect(await b.stop()).toBe(0)
    const times = await fired(db)
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number))
    // One task per second: a doubled fire would show as two tasks a few ms apart.
    expect(Math.min(...gaps)).toBeGreaterThan(500)
    expect(handover).toBeLessThan(2_000 + 1_000)
    expect(times.length).toBeGreaterThanOrEqual(5)

    await Bun.sleep(3_000)
    const before = (await fired(db)).length
    const c = beat(where)
    await c.waitForLog(/beat: leading/)
    await Bun.sleep(1_500)
    expect(await c.stop()).toBe(0)
    // Three missed fires while stopped are skipped (catchUp skip): at most the 1-2 current ones run.
    expect((await fired(db)).length - before).toBeLessThanOrEqual(2)
  }, 30_000)
})
