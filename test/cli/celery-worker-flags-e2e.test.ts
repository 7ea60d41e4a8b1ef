import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, createDefaultDatabase, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

/** Celery's worker flags, with Celery's meaning, from the binary. */
const dir = mkdtempSync(join(tmpdir(), 'celeriac-celery-flags-'))
const where: CeleriacEnv = { cwd: dir, env: {} }
createDefaultDatabase(dir)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function callNoops(count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) ids.push((await runCeleriac(['call', 'debug.noop'], where)).stdout)
  return ids
}

const stateOf = async (id: string) =>
  JSON.parse((await runCeleriac(['result', id, '--json'], where)).stdout).state as string

describe("Celery's worker flags", () => {
  test('--max-tasks-per-child drains and exits with code 4 after that many tasks; the rest wait', async () => {
    const ids = await callNoops(3)
    const run = await runCeleriac(['worker', '-c', '1', '--max-tasks-per-child', '2', '-l', 'info'], where)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('max tasks reached; draining')
    expect(await Promise.all(ids.map(stateOf))).toEqual(['SUCCESS', 'SUCCESS', 'PENDING'])
    expect((await runCeleriac(['worker', '--max-tasks-per-child', '1'], where)).code).toBe(4)
  }, 30_000)

  test('--pidfile holds the pid while running, refuses a second holder, and is removed at exit', async () => {
    const pidfile = join(dir, 'worker.pid')
    const worker = new RunningCeleriac(['worker', '--pidfile', pidfile, '-E'], where)
    try {
      await worker.waitForLog(/worker online/)
      expect(Number(readFileSync(pidfile, 'utf8'))).toBe(worker.proc.pid)
      const second = await runCeleriac(['worker', '--pidfile', pidfile], where)
      expect(second.code).toBe(2)
      expect(second.stderr).toContain(`process ${worker.proc.pid} is running and holds it`)
    } finally {
      expect(await worker.stop()).toBe(0)
    }
    expect(existsSync(pidfile)).toBe(false)
  }, 30_000)

  test('-l / --loglevel set the log level: warn keeps the per-task lines out', async () => {
    const [id] = await callNoops(1)
    const run = await runCeleriac(['worker', '--loglevel', 'warn', '--max-tasks-per-child', '1'], where)
    expect(run.code).toBe(4)
    expect(run.stderr).not.toContain('task succeeded')
    expect(await stateOf(id as string)).toBe('SUCCESS')
  }, 30_000)
})
