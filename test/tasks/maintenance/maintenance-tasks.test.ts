import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import type { BrokerEngine } from '../../../src/brokers/broker.ts'
import { Client } from '../../../src/client/client.ts'
import { FakeClock } from '../../../src/core/clock.ts'
import { UnrecoverableError } from '../../../src/core/errors.ts'
import { TaskRegistry } from '../../../src/core/registry.ts'
import { debugNoop } from '../../../src/tasks/debug/debug-tasks.ts'
import { createBackupTask } from '../../../src/tasks/maintenance/backup-task.ts'
import { createCleanupFilesTask } from '../../../src/tasks/maintenance/cleanup-files-task.ts'
import { createCleanupResultsTask } from '../../../src/tasks/maintenance/cleanup-results-task.ts'
import { createHealthCheckTask, type HealthCheck } from '../../../src/tasks/maintenance/health-check-task.ts'
import { makeBroker } from '../../worker/helpers.ts'
import { runTask, tempDir, testServices } from '../file-task-fixtures.ts'
import { brokerWithHistory } from '../history-fixture.ts'

const DAY = 86_400_000
const ID = '01980000-0000-7000-8000-00000000000'

function listen(greeting: string | null): Promise<Server> {
  const server = createServer((socket) => {
    if (greeting !== null) socket.write(greeting)
    socket.on('data', () => socket.end())
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
const portOf = (server: Server) => (server.address() as { port: number }).port

describe('maintenance tasks', () => {
  test('cleanup_files deletes only old downloads, never other files or symlinks', async () => {
    const services = testServices({ filesRetentionDays: 7 })
    const dir = services.settings.exportsDir
    mkdirSync(dir, { recursive: true })
    const old = Date.now() / 1000 - 8 * 86_400
    const files = { [`${ID}1.csv`]: old, [`${ID}2.html.part`]: old, [`${ID}3.json`]: null, 'notes.txt': old }
    for (const [name, mtime] of Object.entries(files)) {
      writeFileSync(join(dir, name), 'x'.repeat(10))
      if (mtime) utimesSync(join(dir, name), mtime, mtime)
    }
    const outside = join(tempDir(), 'keep.csv')
    writeFileSync(outside, 'x')
    symlinkSync(outside, join(dir, `${ID}4.csv`))
    const result = await runTask(createCleanupFilesTask(services), {})
    expect(result).toEqual({ deleted: 2, bytes: 20, kept: 1 })
    expect(readdirSync(dir).sort()).toEqual([`${ID}3.json`, `${ID}4.csv`, 'notes.txt'])
    expect(existsSync(outside)).toBe(true)
    expect(await runTask(createCleanupFilesTask(services), { older_than_days: 0 })).toMatchObject({
      deleted: 1,
    })
  })

  test('cleanup_results deletes expired results and events older than its cutoff, and nothing newer', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1))
    const broker = makeBroker(clock, { resultTtlMs: DAY })
    const client = new Client({ broker, registry: new TaskRegistry([debugNoop]), clock })
    const settle = async (count: number) => {
      const ids: string[] = []
      for (let i = 0; i < count; i++) ids.push((await client.enqueue('debug.noop', {})).id)
      const leases = await broker.reserve({ queues: ['default'], max: count, leaseMs: 30_000, worker: 'w' })
      await broker.settle(leases.map((lease) => ({ kind: 'ack', lease, result: null, runtimeMs: 1 })))
      return ids
    }
    const old = await settle(3)
    const oldEvents = (await broker.readEvents(null, 1_000)).length
    expect(oldEvents).toBeGreaterThanOrEqual(3)
    clock.advance(8 * DAY)
    const fresh = await settle(2)
    const result = await runTask(createCleanupResultsTask(testServices({}, broker)), undefined)
    // The 3 old results expired a week ago; the 2 fresh ones have a day left. Events: 7 days.
    expect(result).toEqual({ results: 3, events: oldEvents })
    for (const id of old) expect(await broker.getResult(id)).toBeNull()
    for (const id of fresh) expect((await broker.getResult(id))?.state).toBe('SUCCESS')
    expect((await broker.readEvents(null, 1_000)).length).toBeGreaterThan(0)
    expect(await runTask(createCleanupResultsTask(testServices({}, broker)), undefined)).toEqual({
      results: 0,
      events: 0,
    })
  })

  test('health_check reports each check with ok, ms and detail', async () => {
    const smtp = await listen('220 test ESMTP ready\r\n')
    const mute = await listen(null)
    try {
      const broker = makeBroker()
      const run = async (smtpUrl: string | null) =>
        (await runTask(createHealthCheckTask(testServices({ smtpUrl }, broker)), {})) as {
          ok: boolean
          checks: HealthCheck[]
        }
      const healthy = await run(`smtp://user:secret@127.0.0.1:${portOf(smtp)}`)
      expect(healthy.ok).toBe(true)
      expect(healthy.checks.map((c) => [c.name, c.ok])).toEqual([
        ['broker', true],
        ['storage.exports', true],
        ['storage.media', true],
        ['smtp', true],
      ])
      expect(healthy.checks[3]?.detail).toContain('220 test ESMTP ready')
      expect(JSON.stringify(healthy)).not.toContain('secret')
      expect((await run(null)).checks[3]).toMatchObject({
        ok: true,
        detail: expect.stringContaining('not configured'),
      })
      const mutePort = portOf(mute)
      mute.close()
      const down = await run(`smtp://127.0.0.1:${mutePort}`)
      expect(down.ok).toBe(false)
      expect(down.checks[3]).toMatchObject({ name: 'smtp', ok: false })
      await broker.close()
      const noBroker = await run(null)
      expect(noBroker.checks[0]).toMatchObject({ name: 'broker', ok: false })
    } finally {
      smtp.close()
      mute.close()
    }
  })

  test('backup writes an online SQLite copy and keeps the newest N', async () => {
    const broker = await brokerWithHistory(5, 0)
    let now = Date.UTC(2026, 0, 1, 3, 15)
    const services = { ...testServices({}, broker), clock: { now: () => now } }
    const task = createBackupTask(services)
    const first = (await runTask(task, { keep: 2 })) as { file: string; bytes: number }
    expect(first).toMatchObject({ kind: 'backup', file: 'celeriac-20260101T031500Z.db', pruned: 0 })
    const copy = new Database(join(services.settings.backupDir, first.file), { readonly: true })
    expect(copy.query('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 5 })
    copy.close()
    for (let i = 1; i <= 3; i++) {
      now += DAY
      await runTask(task, { keep: 2 })
    }
    expect(readdirSync(services.settings.backupDir).sort()).toEqual([
      'celeriac-20260103T031500Z.db',
      'celeriac-20260104T031500Z.db',
    ])
  })

  test('backup reports persistence on engines without a file copy, and fails clearly with neither', async () => {
    const broker = makeBroker()
    const withoutBackup = Object.assign(Object.create(broker), { backup: undefined }) as BrokerEngine
    const redisLike = Object.assign(Object.create(withoutBackup), {
      persistence: async () => ({ appendonly: 'yes' }),
    })
    expect(await runTask(createBackupTask(testServices({}, redisLike)), {})).toEqual({
      kind: 'persistence',
      persistence: { appendonly: 'yes' },
    })
    const err = await runTask(createBackupTask(testServices({}, withoutBackup)), {}).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnrecoverableError)
  })
})
