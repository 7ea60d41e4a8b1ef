import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { startWorker, waitFor, waitForTerminal } from '../worker/helpers.ts'
import { RunningCeleriac } from './celeriac-process.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('celeriac events', () => {
  test('follows what workers do, filtered by task, and stops on SIGINT with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-events-'))
    dirs.push(dir)
    const db = join(dir, 'events.db')
    const broker = createSqliteBroker({ path: db, clock: { now: () => Date.now() } })
    const events = new RunningCeleriac(['events', '--task', 'debug.sleep', '--broker', `sqlite://${db}`], {
      cwd: dir,
      env: {},
    })
    try {
      // Printed once its start position is fixed: every later event will be shown.
      await waitFor('the events command to follow', () => events.stderr.includes('following live events'))
      const client = new Client({ broker, registry: createBuiltinRegistry() })
      startWorker(broker)
      await client.enqueue('debug.noop', {})
      const handle = await client.enqueue('debug.sleep', { ms: 1 })
      await waitForTerminal(broker, handle.id)
      await waitFor('the events to be printed', () => events.stdout.includes('task:succeeded'), 5_000)
      expect(events.stdout).toContain(`task:enqueued   debug.sleep ${handle.id}`)
      expect(events.stdout).not.toContain('debug.noop')
      expect(await events.stop('SIGINT')).toBe(0)
    } finally {
      await events.stop('SIGKILL')
      await broker.close()
    }
  })
})
