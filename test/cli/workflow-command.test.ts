import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { createWorker } from '../../src/worker/worker.ts'
import { runInProcess } from './run-cli-in-process.ts'

/** `celeriac workflow run|show|revoke|retry` against a SQLite file a worker drains. */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('celeriac workflow', () => {
  test('runs a tree from a file, shows it with every member, and exits by its state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-workflow-cli-'))
    dirs.push(dir)
    const db = join(dir, 'q.db')
    const env = { CELERIAC_BROKER_URL: `sqlite://${db}` }
    const broker = createSqliteBroker({ path: db, clock: systemClock })
    const tree = join(dir, 'tree.json')
    writeFileSync(
      tree,
      JSON.stringify({
        chain: [{ task: 'debug.sleep', input: { ms: 1 } }, { group: [{ task: 'debug.noop', input: {} }] }],
      }),
    )
    const started = await runInProcess(['workflow', 'run', tree], env)
    expect(started.code, started.stderr).toBe(0)
    const id = started.stdout.trim()
    const pending = await runInProcess(['workflow', 'show', id], env)
    expect(pending.code).toBe(3)
    expect(pending.stdout).toContain('debug.sleep')
    const worker = createWorker({
      broker,
      registry: createBuiltinRegistry(),
      queues: ['default'],
      concurrency: 2,
      pollMs: 20,
    })
    await worker.start()
    try {
      let shown = await runInProcess(['workflow', 'show', id, '--json'], env)
      for (let i = 0; i < 100 && JSON.parse(shown.stdout).state !== 'SUCCESS'; i++) {
        await Bun.sleep(50)
        shown = await runInProcess(['workflow', 'show', id, '--json'], env)
      }
      expect(JSON.parse(shown.stdout)).toMatchObject({ id, state: 'SUCCESS', result: [null] })
      expect((await runInProcess(['workflow', 'retry', id], env)).stdout).toBe('no failed member to retry')
      expect((await runInProcess(['workflow', 'revoke', id], env)).stdout).toBe(`revoked 2 members of ${id}`)
    } finally {
      await worker.stop()
      await broker.close()
    }
  })

  test('bad input: a missing file and a tree of the wrong shape are usage errors naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-workflow-cli-'))
    dirs.push(dir)
    const db = join(dir, 'q.db')
    createSqliteBroker({ path: db, clock: systemClock }).close()
    const env = { CELERIAC_BROKER_URL: `sqlite://${db}` }
    const missing = await runInProcess(['workflow', 'run', join(dir, 'nope.json')], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.json')
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ chain: [{ grup: [] }] }))
    const bad = await runInProcess(['workflow', 'run', join(dir, 'bad.json')], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('chain.0')
    expect((await runInProcess(['workflow', 'show', 'no-such-workflow'], env)).code).not.toBe(0)
  })
})
