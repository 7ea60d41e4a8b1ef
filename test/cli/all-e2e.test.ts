import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'celeriac-all-'))
// No broker configured: `all` must use the default sqlite://./data/celeriac.db under its cwd.
const where: CeleriacEnv = { cwd: dir, env: {} }

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('celeriac all', () => {
  test('starts on the default SQLite file, runs tasks, and stops on SIGINT with exit 0', async () => {
    const all = new RunningCeleriac(['all', '--grace', '5', '--insecure', '--port', '0'], where)
    try {
      await all.waitForLog(/worker online/)
      expect(all.stdout).toContain('broker sqlite://./data/celeriac.db')
      expect(all.stdout).toContain(`data ${join(dir, 'data/celeriac.db')}`)
      const id = (await runCeleriac(['call', 'debug.noop'], where)).stdout
      expect(await runCeleriac(['result', id, '--wait', '10'], where)).toMatchObject({
        code: 0,
        stdout: 'SUCCESS\nnull',
      })
    } finally {
      expect(await all.stop('SIGINT')).toBe(0)
    }
  })

  test('a worker exits 0 after `control shutdown` names it', async () => {
    const worker = new RunningCeleriac(['worker', '-n', 'shut-me'], where)
    try {
      await worker.waitForLog(/worker online/)
      const reply = await runCeleriac(['control', 'shutdown', '--worker', 'shut-me', '--timeout', '5'], where)
      expect(reply.code).toBe(0)
      expect(reply.stdout).toStartWith('-> shut-me: ')
      expect(await worker.proc.exited).toBe(0)
    } finally {
      await worker.stop('SIGKILL')
    }
  })
})
