import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

// Real processes against a real SQLite file: `bun src/main.ts`, or the binary named by CELERIAC_BIN.
const dir = mkdtempSync(join(tmpdir(), 'celeriac-cli-'))
const where: CeleriacEnv = { cwd: dir, env: { CELERIAC_BROKER_URL: `sqlite://${join(dir, 'celeriac.db')}` } }
const run = (...args: string[]) => runCeleriac(args, where)
let worker: RunningCeleriac

beforeAll(async () => {
  worker = new RunningCeleriac(['worker', '-n', 'e2e-worker', '-c', '4', '--grace', '5'], where)
  await worker.waitForLog(/worker online/)
})

afterAll(async () => {
  if (worker.proc.exitCode === null) worker.proc.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

async function callId(...args: string[]): Promise<string> {
  const called = await run('call', ...args, '--json')
  expect(called.stderr).toBe('')
  expect(called.code).toBe(0)
  return (JSON.parse(called.stdout) as { id: string }).id
}

describe('celeriac CLI end to end', () => {
  test('runs a called task on the worker and prints SUCCESS with its result', async () => {
    const called = await run('call', 'debug.sleep', '--input', '{"ms":200}')
    expect(called.code).toBe(0)
    expect(called.stdout).toMatch(/^[0-9a-f-]{36}$/)
    const result = await run('result', called.stdout, '--wait', '10')
    expect(result).toEqual({ code: 0, stdout: 'SUCCESS\n{\n  "slept": 200\n}', stderr: '' })
  })

  test('retries debug.fail until it succeeds on its third attempt', async () => {
    const id = await callId('debug.fail', '--input', '{"times":2}')
    const result = await run('result', id, '--wait', '15', '--json')
    expect(result.code).toBe(0)
    const stored = JSON.parse(result.stdout)
    expect(stored).toMatchObject({ id, state: 'SUCCESS', attempts: 3, result: { succeededOnAttempt: 3 } })
  })

  test('prints PENDING for an unknown id, as Celery does', async () => {
    expect(await run('result', 'no-such-task')).toEqual({ code: 0, stdout: 'PENDING', stderr: '' })
    const json = await run('result', 'no-such-task', '--json')
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 'no-such-task', state: 'PENDING' })
  })

  test('exits 1 with a clear message when --wait runs out', async () => {
    const id = await callId('debug.noop', '--countdown', '60000')
    const result = await run('result', id, '--wait', '0.3')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^celeriac: task ${id} not finished after 300 ms`))
    await run('revoke', id)
  })

  test('gets a pong from the worker', async () => {
    const ping = await run('control', 'ping', '--worker', 'e2e-worker')
    expect(ping.code).toBe(0)
    expect(ping.stdout).toContain('-> e2e-worker: ')
    expect(ping.stdout).toContain('pong')
  })

  test('shows the worker in status and inspect', async () => {
    const status = JSON.parse((await run('status', '--json')).stdout)
    expect(status.workers.map((w: { name: string }) => w.name)).toContain('e2e-worker')
    const registered = JSON.parse((await run('inspect', 'registered', '--json')).stdout)
    expect(registered['e2e-worker']).toEqual(createBuiltinRegistry().names())
  })

  test('refuses to purge without --yes, saying how many tasks it would delete', async () => {
    await callId('debug.noop', '--countdown', '60000', '-Q', 'e2e-purge')
    const refused = await run('purge', '-Q', 'e2e-purge')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("celeriac: purge deletes the 1 waiting task(s) of queue 'e2e-purge'")
    expect(refused.stderr).toContain('--yes')
    expect(await run('purge', '-Q', 'e2e-purge', '--yes')).toMatchObject({
      code: 0,
      stdout: "purged 1 task(s) from queue 'e2e-purge'",
    })
  })

  test.each([
    [['call', 'debug.sleep', '--input', '{"ms":'], 'celeriac: --input: invalid JSON: '],
    [['call', 'debug.sleep', '--input', '{"ms":"x"}'], "celeriac: task 'debug.sleep' input: ms: "],
    [
      ['call', 'debug.nop'],
      "celeriac: unknown task 'debug.nop'; registered tasks: debug.fail, debug.noop, debug.sleep",
    ],
    [['call', 'debug.noop', '--inptu', '{}'], "celeriac: unknown flag '--inptu' (did you mean '--input'?)"],
    [['wroker'], "celeriac: unknown command 'wroker' (did you mean 'worker'?)"],
    [
      ['status', '--broker', 'sqlit://x'],
      "celeriac: invalid configuration: --broker: unknown broker scheme 'sqlit:' (did you mean 'sqlite:'?)",
    ],
  ])('exits 2 naming the problem for %p', async (args, message) => {
    const result = await run(...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toStartWith(message)
    expect(result.stderr).not.toContain('    at ')
  })

  test('stops gracefully on SIGTERM with exit code 0', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0)
    expect(worker.stderr).toContain('worker stopped')
  })

  test('exits 1 when no worker replies to a control command', async () => {
    const ping = await run('control', 'ping', '--timeout', '0.3')
    expect(ping.code).toBe(1)
    expect(ping.stderr).toBe('celeriac: no worker replied within 0.3 s')
  })
})
